package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Tokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Safe e-mail change (issue 18): a code to the new address, a notice to the old one, nothing changes until the code
 * is verified (a mistyped address never locks the owner out), a taken address answers alike with no code, and the
 * verified address moves sign-in and the admin listing.
 */
class EmailChangeIT {
    private final ApiClient api = Target.get().api();
    private final OutboxClient outbox = new OutboxClient(api);

    @BeforeEach
    void needsTheOutbox() {
        Requires.outbox();
    }

    private ApiResponse requestChange(Tokens tokens, String newEmail, String password) {
        return api.post("/me/email").bearer(tokens.accessToken()).json(Map.of("newEmail", newEmail, "password", password)).send();
    }

    private long messages(String email, String kind) {
        return outbox.messages(email).stream().filter(m -> m.kind().equals(kind)).count();
    }

    private ApiResponse login(String email, String password) {
        return api.post("/auth/login").json(Map.of("email", email, "password", password)).send();
    }

    @Test
    void aMistypedAddress_neverLocksTheOwnerOut_theOldAddressKeepsSigningInUntilVerified() {
        TestUser user = TestUsers.confirmed("email-typo");
        Tokens tokens = user.login();
        String typo = TestUsers.uniqueEmail("email-typo-new").replace("@example.com", "@exmaple.com");

        ApiResponse answer = requestChange(tokens, typo, user.password());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        assertThat(messages(typo, "EMAIL_CHANGE")).as("a code to the new address").isEqualTo(1);
        assertThat(messages(user.email(), "EMAIL_CHANGE_NOTICE")).as("a notice to the old one").isEqualTo(1);
        assertThat(outbox.messages(user.email()).get(0).text()).doesNotContain(outbox.latestCode(typo, "EMAIL_CHANGE"));
        assertThat(login(user.email(), user.password()).status()).as("the old address signs in").isEqualTo(200);
        assertProblem(login(typo, user.password()), 401, "InvalidCredentials");
        assertThat(api.get("/me").bearer(tokens.accessToken()).send().json().path("email").asText())
                .isEqualTo(user.email().toLowerCase(Locale.ROOT));
        assertThat(api.post("/auth/forgot-password").json(Map.of("email", user.email())).send().status()).isEqualTo(202);
        assertThat(outbox.latestCode(user.email(), "FORGOT_PASSWORD")).as("reset codes still reach the old address").isNotBlank();
    }

    @Test
    void b12_aTakenAddress_answersTheSame202_andGetsNoCode() {
        TestUser owner = TestUsers.confirmed("email-taken-owner");
        TestUser user = TestUsers.confirmed("email-taken");
        Tokens tokens = user.login();
        String free = TestUsers.uniqueEmail("email-free");

        ApiResponse taken = requestChange(tokens, owner.email(), user.password());
        ApiResponse unknown = requestChange(tokens, free, user.password());

        assertThat(taken.status()).isEqualTo(202);
        assertThat(unknown.status()).isEqualTo(202);
        assertThat(taken.body()).isEqualTo(unknown.body());
        assertThat(messages(owner.email(), "EMAIL_CHANGE")).as("no code to an address that has an account").isZero();
        assertThat(messages(free, "EMAIL_CHANGE")).isEqualTo(1);
        assertThat(messages(user.email(), "EMAIL_CHANGE_NOTICE")).as("the owner is told each time").isEqualTo(2);
        assertThat(login(owner.email(), owner.password()).status()).isEqualTo(200);
    }

    @Test
    void b32_aWrongPassword_is403_andSendsNothing() {
        TestUser user = TestUsers.confirmed("email-wrong-pw");
        Tokens tokens = user.login();
        String target = TestUsers.uniqueEmail("email-wrong-pw-new");

        assertProblem(requestChange(tokens, target, "Not-The-Password-1!"), 403, "InvalidCredentials");

        assertThat(outbox.messages(target)).isEmpty();
        assertThat(messages(user.email(), "EMAIL_CHANGE_NOTICE")).isZero();
        assertThat(api.get("/me").bearer(tokens.accessToken()).send().status()).as("the caller's token is fine").isEqualTo(200);
    }

    @Test
    void verifying_movesSignInAndTheAdminListing_toTheNewAddress() {
        TestUser user = TestUsers.confirmed("email-verify");
        Tokens tokens = user.login();
        String newEmail = TestUsers.uniqueEmail("email-verified").toLowerCase(Locale.ROOT);
        assertThat(requestChange(tokens, newEmail, user.password()).status()).isEqualTo(202);
        String code = outbox.latestCode(newEmail, "EMAIL_CHANGE");
        String wrong = code.equals("00000000") ? "11111111" : "00000000";

        assertProblem(api.post("/me/email/verify").bearer(tokens.accessToken()).json(Map.of("code", wrong)).send(), 400, "CodeMismatch");
        ApiResponse verified = api.post("/me/email/verify").bearer(tokens.accessToken()).json(Map.of("code", code)).send();

        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json().path("email").asText()).isEqualTo(newEmail);
        assertThat(login(newEmail, user.password()).status()).as("the new address signs in").isEqualTo(200);
        assertProblem(login(user.email(), user.password()), 401, "InvalidCredentials");
        String id = verified.json().path("id").asText();
        String admin = Admins.token();
        ApiResponse listed = api.get("/users?email=" + URLEncoder.encode(newEmail, StandardCharsets.UTF_8)).bearer(admin).send();
        assertThat(listed.json().path("items").findValuesAsText("id")).containsExactly(id);
        ApiResponse old = api.get("/users?email=" + URLEncoder.encode(user.email().toLowerCase(Locale.ROOT), StandardCharsets.UTF_8))
                .bearer(admin).send();
        assertThat(old.json().path("items").findValuesAsText("id")).doesNotContain(id);
        ApiResponse byRole = api.get("/users?role=user&email=" + URLEncoder.encode(newEmail, StandardCharsets.UTF_8)).bearer(admin).send();
        assertThat(byRole.json().path("items").findValuesAsText("id")).as("the role membership moved too").containsExactly(id);
        assertProblem(api.post("/me/email/verify").bearer(tokens.accessToken()).json(Map.of("code", code)).send(), 400, "CodeMismatch");
        ApiResponse activity = api.get("/me/activity").bearer(tokens.accessToken()).send();
        assertThat(activity.json().path("items").findValuesAsText("event")).as("the new address's sign-in, then the change")
                .startsWith("SIGN_IN", "EMAIL_CHANGED");
    }

    @Test
    void anAddressTakenMeanwhile_is409_andNothingMoves() {
        TestUser user = TestUsers.confirmed("email-race");
        Tokens tokens = user.login();
        String contested = TestUsers.uniqueEmail("email-contested");
        assertThat(requestChange(tokens, contested, user.password()).status()).isEqualTo(202);
        String code = outbox.latestCode(contested, "EMAIL_CHANGE");
        assertThat(api.post("/auth/sign-up").json(Map.of("email", contested, "password", TestUsers.PASSWORD)).send().status()).isEqualTo(202);
        String confirmation = outbox.confirmationCode(contested);
        assertThat(api.post("/auth/confirm").json(Map.of("email", contested, "code", confirmation, "password", TestUsers.PASSWORD))
                .send().status()).isEqualTo(200);

        assertProblem(api.post("/me/email/verify").bearer(tokens.accessToken()).json(Map.of("code", code)).send(), 409, "Conflict");

        assertThat(login(user.email(), user.password()).status()).isEqualTo(200);
        assertThat(api.get("/me").bearer(tokens.accessToken()).send().json().path("email").asText())
                .isEqualTo(user.email().toLowerCase(Locale.ROOT));
    }
}
