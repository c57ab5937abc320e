package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.Jwt;
import dev.userapi.e2e.client.Orgs;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Tokens;
import dev.userapi.e2e.client.Totp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * docs/SECURITY.md item 31, what is left of "no way around the API": a user's own access token (the API's own calls
 * need {@code aws.cognito.signin.user.admin} in it) still reaches Cognito's self-service operations directly. The API
 * notices the drift where it learns the truth anyway and brings DynamoDB in line, audited: an MFA preference changed
 * at Cognito (at the next password sign-in: Cognito asks for a TOTP code or it does not), and a Cognito user deleted
 * with its own token (at the next refresh, which Cognito refuses, its tokens are refused at once; when the address
 * signs up again, the old profile is retired).
 */
class CognitoDriftIT {
    private final ApiClient api = Target.get().api();
    private CognitoIdentityProviderClient cognito;

    @BeforeEach
    void access() {
        Requires.cognito();
        Requires.admin();
        Requires.outbox();
        Requires.authorizerCacheOff();
        cognito = Target.get().cognito().orElseThrow();
    }

    private ApiResponse login(TestUser user) {
        return api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send();
    }

    private static String subOf(String accessToken) {
        return Jwt.claims(accessToken).path("sub").asText();
    }

    private List<String> auditActions(String sub) {
        ApiResponse audit = api.get("/users/" + sub + "/audit").bearer(Admins.token()).send();
        assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        audit.json().path("items").forEach(item -> actions.add(item.path("action").asText()));
        return actions;
    }

    private List<String> activity(String accessToken) {
        ApiResponse page = api.get("/me/activity").bearer(accessToken).send();
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> events = new ArrayList<>();
        page.json().path("items").forEach(item -> events.add(item.path("event").asText()));
        return events;
    }

    @Test
    void b31_totpTurnedOffAtCognito_withTheUsersOwnToken_isReconciledAtTheNextSignIn() {
        TestUser user = TestUsers.confirmed("b31-mfa-off");
        String token = user.login().accessToken();
        String secret = api.post("/me/mfa/totp").bearer(token).send().json().path("secretCode").asText();
        assertThat(api.post("/me/mfa/totp/verify").bearer(token).json(Map.of("code", Totp.now(secret))).send().status()).isEqualTo(204);
        assertThat(api.get("/me").bearer(token).send().json().path("mfaEnabled").asBoolean()).isTrue();

        // outside the API: no recent sign-in asked, no activity recorded by the API
        cognito.setUserMFAPreference(r -> r.accessToken(token).softwareTokenMfaSettings(s -> s.enabled(false).preferredMfa(false)));

        ApiResponse signedIn = login(user);
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
        assertThat(signedIn.json().has("challenge")).as("Cognito asks for no code any more").isFalse();
        String fresh = signedIn.json().path("accessToken").asText();
        assertThat(api.get("/me").bearer(fresh).send().json().path("mfaEnabled").asBoolean()).as("the profile follows").isFalse();
        assertThat(activity(fresh)).contains("MFA_DISABLED");
        assertThat(auditActions(subOf(fresh))).contains("user.mfa.reconciled");

        ApiResponse again = login(user);
        assertThat(again.status()).isEqualTo(200);
        assertThat(auditActions(subOf(fresh)).stream().filter("user.mfa.reconciled"::equals).count())
                .as("reconciled once: the next sign-in finds nothing to do").isEqualTo(1);
    }

    @Test
    void b31_totpTurnedOnAtCognito_withTheUsersOwnToken_isReconciledWhenTheCodeIsAnswered() {
        TestUser user = TestUsers.confirmed("b31-mfa-on");
        String token = user.login().accessToken();
        assertThat(api.get("/me").bearer(token).send().json().path("mfaEnabled").asBoolean()).isFalse();

        String secret = cognito.associateSoftwareToken(r -> r.accessToken(token)).secretCode();
        cognito.verifySoftwareToken(r -> r.accessToken(token).userCode(Totp.now(secret)));
        cognito.setUserMFAPreference(r -> r.accessToken(token).softwareTokenMfaSettings(s -> s.enabled(true).preferredMfa(true)));

        ApiResponse first = login(user);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().path("challenge").asText()).isEqualTo("SOFTWARE_TOKEN_MFA");
        ApiResponse answered = api.post("/auth/login/mfa").json(Map.of("email", user.email(),
                "session", first.json().path("session").asText(), "code", Totp.now(secret))).send();
        assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
        String fresh = answered.json().path("accessToken").asText();

        assertThat(api.get("/me").bearer(fresh).send().json().path("mfaEnabled").asBoolean()).isTrue();
        assertThat(activity(fresh)).contains("MFA_ENABLED");
        assertThat(auditActions(subOf(fresh))).contains("user.mfa.reconciled");
    }

    @Test
    void b31_aUserDeletedAtCognito_withItsOwnToken_losesItsTokensAtTheNextRefresh_andItsProfileWhenTheAddressSignsUpAgain() {
        TestUser user = TestUsers.confirmed("b31-deleted");
        Tokens tokens = user.login();
        String oldSub = subOf(tokens.accessToken());
        assertThat(api.get("/me").bearer(tokens.accessToken()).send().status()).isEqualTo(200);

        cognito.deleteUser(r -> r.accessToken(tokens.accessToken())); // outside the API

        assertProblem(api.post("/auth/refresh").json(Map.of("refreshToken", tokens.refreshToken())).send(), 401, "Unauthorized");
        assertProblem(api.get("/me").bearer(tokens.accessToken()).send(), 401, "Unauthorized");
        assertThat(auditActions(oldSub)).contains("user.deleted.reconciled");

        // the same address signs up again: a new Cognito user, a new profile; the old one is retired
        ApiResponse signUp = api.post("/auth/sign-up").json(Map.of("email", user.email(), "password", user.password())).send();
        assertThat(signUp.status()).as(signUp.toString()).isEqualTo(202);
        String code = new OutboxClient(api).confirmationCode(user.email());
        ApiResponse confirmed = api.post("/auth/confirm").json(Map.of("email", user.email(), "code", code, "password", user.password())).send();
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        String newSub = subOf(confirmed.json().path("accessToken").asText());
        assertThat(newSub).isNotEqualTo(oldSub);

        assertProblem(api.get("/users/" + oldSub).bearer(Admins.token()).send(), 404, "NotFound");
        ApiResponse listed = api.get("/users?email=" + user.email()).bearer(Admins.token()).send();
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode item : listed.json().path("items")) {
            ids.add(item.path("id").asText());
        }
        assertThat(ids).as("one profile at the address: the new account's").containsExactly(newSub);
    }

    /**
     * An organization's last owner deleted at Cognito: when the drift is reconciled (the address signs up again),
     * ownership goes to the longest-standing admin, and an organization with no other member is deleted.
     */
    @Test
    void b31_theLastOwnerDeletedAtCognito_handsOwnershipToAnAdmin_andAnOrgWithNoOneElseGoes() {
        TestUser user = TestUsers.confirmed("b31-owner");
        Tokens tokens = user.login();
        String oldSub = subOf(tokens.accessToken());
        Orgs.Member member = Orgs.Member.fresh("b31-org-member");
        Orgs.Member admin = Orgs.Member.fresh("b31-org-admin");
        String shared = Orgs.create(tokens.accessToken(), "Handed over");
        Orgs.join(tokens.accessToken(), shared, member, "member");
        Orgs.join(tokens.accessToken(), shared, admin, "admin");
        String alone = Orgs.create(tokens.accessToken(), "Alone");

        cognito.deleteUser(r -> r.accessToken(tokens.accessToken())); // outside the API
        ApiResponse signUp = api.post("/auth/sign-up").json(Map.of("email", user.email(), "password", user.password())).send();
        assertThat(signUp.status()).as(signUp.toString()).isEqualTo(202);
        String code = new OutboxClient(api).confirmationCode(user.email());
        ApiResponse confirmed = api.post("/auth/confirm").json(Map.of("email", user.email(), "code", code, "password", user.password())).send();
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);

        ApiResponse members = api.get("/orgs/" + shared + "/members").bearer(admin.token()).send();
        assertThat(members.status()).as(members.toString()).isEqualTo(200);
        Map<String, String> roles = new HashMap<>();
        members.json().path("items").forEach(m -> roles.put(m.path("userId").asText(), m.path("role").asText()));
        assertThat(roles).isEqualTo(Map.of(admin.id(), "owner", member.id(), "member"));
        assertThat(api.get("/orgs/" + shared).bearer(admin.token()).send().json().path("memberCount").asInt()).isEqualTo(2);
        assertProblem(api.get("/orgs/" + alone).bearer(Admins.token()).send(), 404, "NotFound");
        assertThat(roles).doesNotContainKey(oldSub);
    }

    @Test
    void b31_anEmailChangedAtCognito_keepsTheOldAddressUntilVerified_thenTheProfileFollowsAtTheNextSignIn() {
        TestUser user = TestUsers.confirmed("b31-email");
        Tokens tokens = user.login();
        String sub = subOf(tokens.accessToken());
        String newEmail = TestUsers.uniqueEmail("b31-email-new");

        // outside the API, as Cognito allows with the user's own token; the pool verifies an address before using it
        cognito.updateUserAttributes(r -> r.accessToken(tokens.accessToken())
                .userAttributes(a -> a.name("email").value(newEmail)));
        String code = new OutboxClient(api).latestCode(newEmail, "VERIFY_EMAIL");
        assertThat(login(user).status()).as("the old address still signs in").isEqualTo(200);
        assertProblem(login(new TestUser(newEmail, user.password())), 401, "InvalidCredentials");
        assertThat(api.get("/me").bearer(user.login().accessToken()).send().json().path("email").asText())
                .as("an unverified address is never adopted").isEqualToIgnoringCase(user.email());

        assertThatThrownBy(() -> cognito.verifyUserAttribute(r -> r.accessToken(tokens.accessToken()).attributeName("email")
                .code(code.equals("000000") ? "111111" : "000000")))
                .isInstanceOf(software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException.class);
        cognito.verifyUserAttribute(r -> r.accessToken(tokens.accessToken()).attributeName("email").code(code));

        ApiResponse signedIn = login(new TestUser(newEmail, user.password()));
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
        ApiResponse me = api.get("/me").bearer(signedIn.json().path("accessToken").asText()).send();
        assertThat(me.json().path("email").asText()).as("the profile follows the verified address").isEqualToIgnoringCase(newEmail);
        assertThat(me.json().path("id").asText()).isEqualTo(sub);
        assertProblem(login(user), 401, "InvalidCredentials");
        assertThat(auditActions(sub)).contains("user.email.reconciled");
        ApiResponse listed = api.get("/users?email=" + newEmail).bearer(Admins.token()).send();
        assertThat(listed.json().path("items").get(0).path("id").asText()).as("the listing finds the new address").isEqualTo(sub);
    }

    @Test
    void b31_anotherAccountsAddress_cannotBeTakenAtCognito() {
        TestUser user = TestUsers.confirmed("b31-alias");
        TestUser other = TestUsers.confirmed("b31-alias-other");
        String token = user.login().accessToken();

        assertThatThrownBy(() -> cognito.updateUserAttributes(r -> r.accessToken(token)
                .userAttributes(a -> a.name("email").value(other.email()))))
                .isInstanceOf(software.amazon.awssdk.services.cognitoidentityprovider.model.AliasExistsException.class);
        assertThatThrownBy(() -> cognito.updateUserAttributes(r -> r.accessToken(token)
                .userAttributes(a -> a.name("email_verified").value("true"))))
                .as("the verified flag is not the user's to set (the app client's WriteAttributes)")
                .isInstanceOf(software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException.class);
    }

    @Test
    void b31_aRefreshRefusedForAnotherReason_leavesALiveAccountAlone() {
        TestUser user = TestUsers.confirmed("b31-alive");
        Tokens tokens = user.login();
        cognito.globalSignOut(r -> r.accessToken(tokens.accessToken())); // outside the API: refresh tokens revoked at Cognito
        Tokens fresh = user.login();

        assertProblem(api.post("/auth/refresh").json(Map.of("refreshToken", tokens.refreshToken())).send(), 401, "Unauthorized");

        assertThat(api.get("/me").bearer(fresh.accessToken()).send().status()).as("the account still works").isEqualTo(200);
        assertThat(auditActions(subOf(fresh.accessToken()))).doesNotContain("user.deleted.reconciled");
    }
}
