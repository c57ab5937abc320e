package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.Documents;
import dev.userapi.e2e.client.Jwt;
import dev.userapi.e2e.client.SoftwareAuthenticator;
import dev.userapi.e2e.client.SoftwareAuthenticator.Algorithm;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * Passkeys (issue 18 item 1): registration with {@code none} attestation and ES256 or RS256 keys, listing, sign-in,
 * removal, each verified for real (webauthn4j in the local Cognito layer, Cognito on AWS) against a software
 * authenticator that signs what a browser's would; every thing a verifier must refuse (another origin, another
 * relying party, a used challenge, a bad signature, a counter that does not grow) is refused; the sign-in options
 * say nothing about whether an address has an account or a passkey; a passkey sign-in is a sign-in like any other
 * (session registered, activity recorded, disabled accounts refused).
 */
class PasskeysIT {
    private final ApiClient api = Target.get().api();
    private final String origin = Target.get().origin();

    private static String bearer(ApiResponse signedIn) {
        return signedIn.json().path("accessToken").asText();
    }

    /** Registers a passkey of {@code authenticator} for the holder of {@code token}; the answer of POST /me/passkeys. */
    private ApiResponse register(String token, SoftwareAuthenticator authenticator, String name) {
        ApiResponse options = api.post("/me/passkeys/options").bearer(token).send();
        assertThat(options.status()).as(options.toString()).isEqualTo(200);
        return api.post("/me/passkeys").bearer(token)
                .json(Map.of("credential", authenticator.create(options.json().path("publicKey")), "name", name)).send();
    }

    private ApiResponse options(String email) {
        return api.post("/auth/passkey/options").json(Map.of("email", email)).send();
    }

    private ApiResponse signIn(String email, SoftwareAuthenticator authenticator) {
        ApiResponse options = options(email);
        assertThat(options.status()).as(options.toString()).isEqualTo(200);
        return api.post("/auth/passkey").json(Map.of("email", email, "session", options.json().path("session").asText(),
                "credential", authenticator.get(options.json().path("publicKey")))).send();
    }

    private List<String> activity(String token) {
        List<String> events = new ArrayList<>();
        api.get("/me/activity").bearer(token).send().json().path("items").forEach(i -> events.add(i.path("event").asText()));
        return events;
    }

    @Test
    void es256AndRs256Passkeys_register_list_signIn_andAreRemoved_withSessionsAndActivity() {
        TestUser user = TestUsers.confirmed("passkey");
        String token = user.login().accessToken();
        SoftwareAuthenticator es256 = new SoftwareAuthenticator(Algorithm.ES256, origin);
        SoftwareAuthenticator rs256 = new SoftwareAuthenticator(Algorithm.RS256, origin);

        ApiResponse first = register(token, es256, "Laptop");
        ApiResponse second = register(token, rs256, "Security key");

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.json().path("id").asText()).isEqualTo(es256.credentialId());
        assertThat(first.json().path("name").asText()).isEqualTo("Laptop");
        assertThat(first.json().path("createdAt").asText()).isNotBlank();
        assertThat(second.status()).as(second.toString()).isEqualTo(201);
        assertThat(second.json().path("id").asText()).isEqualTo(rs256.credentialId());
        ApiResponse listed = api.get("/me/passkeys").bearer(token).send();
        assertThat(listed.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        listed.json().path("items").forEach(i -> ids.add(i.path("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder(es256.credentialId(), rs256.credentialId());
        Map<String, String> names = new java.util.HashMap<>();
        listed.json().path("items").forEach(i -> names.put(i.path("id").asText(), i.path("name").asText()));
        assertThat(names).as("the names given at registration, kept by the API").containsEntry(es256.credentialId(), "Laptop")
                .containsEntry(rs256.credentialId(), "Security key");

        int sessionsBefore = api.get("/me/sessions").bearer(token).send().json().path("items").size();
        for (SoftwareAuthenticator authenticator : List.of(es256, rs256)) {
            ApiResponse signedIn = signIn(user.email(), authenticator);
            assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
            assertThat(signedIn.json().path("refreshToken").asText()).isNotBlank();
            assertThat(Jwt.claims(bearer(signedIn)).path("sub").asText()).isEqualTo(Jwt.claims(token).path("sub").asText());
            assertThat(api.get("/me").bearer(bearer(signedIn)).send().status()).isEqualTo(200);
            ApiResponse refreshed = api.post("/auth/refresh").json(Map.of("refreshToken", signedIn.json().path("refreshToken").asText())).send();
            assertThat(refreshed.status()).as("a passkey session refreshes like any other: " + refreshed).isEqualTo(200);
        }
        ApiResponse sessions = api.get("/me/sessions").bearer(token).send();
        assertThat(sessions.json().path("items")).as("both passkey sign-ins are sessions").hasSize(sessionsBefore + 2);

        assertThat(api.delete("/me/passkeys/" + es256.credentialId()).bearer(token).send().status()).isEqualTo(204);
        assertProblem(api.delete("/me/passkeys/" + es256.credentialId()).bearer(token).send(), 404, "NotFound");
        ApiResponse after = api.get("/me/passkeys").bearer(token).send();
        assertThat(after.json().path("items")).hasSize(1);
        assertThat(after.json().path("items").get(0).path("id").asText()).isEqualTo(rs256.credentialId());
        assertProblem(signIn(user.email(), es256), 401, "InvalidCredentials");

        assertThat(activity(token)).startsWith("SIGN_IN_FAILED", "PASSKEY_REMOVED", "SIGN_IN", "SIGN_IN", "PASSKEY_ADDED", "PASSKEY_ADDED",
                "SIGN_IN");
    }

    @Test
    void anothersPasskey_cannotBeRemoved_norUsedToSignInToAnotherAccount() {
        TestUser owner = TestUsers.confirmed("passkey-owner");
        TestUser other = TestUsers.confirmed("passkey-other");
        String ownerToken = owner.login().accessToken();
        String otherToken = other.login().accessToken();
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(Algorithm.ES256, origin);
        assertThat(register(ownerToken, authenticator, "Phone").status()).isEqualTo(201);
        register(otherToken, new SoftwareAuthenticator(Algorithm.ES256, origin), "Phone");

        assertProblem(api.delete("/me/passkeys/" + authenticator.credentialId()).bearer(otherToken).send(), 404, "NotFound");
        assertProblem(signIn(other.email(), authenticator), 401, "InvalidCredentials");
        assertThat(signIn(owner.email(), authenticator).status()).isEqualTo(200);
    }

    @Test
    void registration_isRefused_forAnotherOrigin_anotherRelyingParty_orAUsedChallenge() {
        String token = TestUsers.confirmed("passkey-bad-reg").login().accessToken();
        SoftwareAuthenticator wrongOrigin = new SoftwareAuthenticator(Algorithm.ES256, "https://evil.example");
        SoftwareAuthenticator wrongRp = new SoftwareAuthenticator(Algorithm.ES256, origin);
        wrongRp.rpId = "evil.example";

        assertProblem(register(token, wrongOrigin, "x"), 400, "InvalidRequest");
        assertProblem(register(token, wrongRp, "x"), 400, "InvalidRequest");

        SoftwareAuthenticator good = new SoftwareAuthenticator(Algorithm.ES256, origin);
        JsonNode options = api.post("/me/passkeys/options").bearer(token).send().json().path("publicKey");
        assertThat(options.path("challenge").asText()).isNotBlank();
        assertThat(api.post("/me/passkeys").bearer(token).json(Map.of("credential", good.create(options))).send().status()).isEqualTo(201);
        SoftwareAuthenticator again = new SoftwareAuthenticator(Algorithm.ES256, origin);
        assertProblem(api.post("/me/passkeys").bearer(token).json(Map.of("credential", again.create(options))).send(), 400, "InvalidRequest");
        assertThat(api.get("/me/passkeys").bearer(token).send().json().path("items")).as("only the good one").hasSize(1);
    }

    @Test
    void signIn_isRefused_forAnotherOrigin_anotherRelyingParty_aUsedChallenge_aBadSignature_orACounterThatDoesNotGrow() {
        TestUser user = TestUsers.confirmed("passkey-bad-sign-in");
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(Algorithm.ES256, origin);
        assertThat(register(user.login().accessToken(), authenticator, "Laptop").status()).isEqualTo(201);

        authenticator.origin = "https://evil.example";
        assertProblem(signIn(user.email(), authenticator), 401, "InvalidCredentials");
        authenticator.origin = origin;
        authenticator.rpId = "evil.example";
        assertProblem(signIn(user.email(), authenticator), 401, "InvalidCredentials");
        authenticator.rpId = null;
        authenticator.badSignature = true;
        assertProblem(signIn(user.email(), authenticator), 401, "InvalidCredentials");
        authenticator.badSignature = false;

        ApiResponse options = options(user.email());
        String session = options.json().path("session").asText();
        Map<String, Object> assertion = authenticator.get(options.json().path("publicKey"));
        ApiResponse signedIn = api.post("/auth/passkey").json(Map.of("email", user.email(), "session", session, "credential", assertion)).send();
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
        ApiResponse replayed = api.post("/auth/passkey").json(Map.of("email", user.email(), "session", session, "credential", assertion)).send();
        assertProblem(replayed, 401, "InvalidCredentials");

        authenticator.nextCounter = authenticator.nextCounter - 1; // the counter of the sign-in that worked, again
        assertProblem(signIn(user.email(), authenticator), 401, "InvalidCredentials");
        authenticator.nextCounter = authenticator.nextCounter + 5;
        assertThat(signIn(user.email(), authenticator).status()).as("a counter that grows").isEqualTo(200);

        ApiResponse forOther = options(user.email());
        assertProblem(api.post("/auth/passkey").json(Map.of("email", TestUsers.uniqueEmail("passkey-swap"),
                "session", forOther.json().path("session").asText(),
                "credential", authenticator.get(forOther.json().path("publicKey")))).send(), 401, "InvalidCredentials");
    }

    @Test
    void signInOptions_lookAlike_forAnUnknownAddress_anAccountWithoutPasskey_andOneWithPasskeys() {
        TestUser withPasskey = TestUsers.confirmed("passkey-has");
        assertThat(register(withPasskey.login().accessToken(), new SoftwareAuthenticator(Algorithm.ES256, origin), "Laptop").status())
                .isEqualTo(201);
        String without = TestUsers.confirmed("passkey-none").email();
        String unknown = TestUsers.uniqueEmail("passkey-unknown");

        ApiResponse real = options(withPasskey.email());
        ApiResponse none = options(without);
        ApiResponse stranger = options(unknown);

        for (ApiResponse answer : List.of(real, none, stranger)) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        }
        assertThat(shape(none.json())).isEqualTo(shape(real.json())).isEqualTo(shape(stranger.json()));
        assertThat(none.json().path("session").asText().length()).isEqualTo(real.json().path("session").asText().length())
                .isEqualTo(stranger.json().path("session").asText().length());
        assertThat(allowed(none.json())).as("stable across calls").hasSize(1).isEqualTo(allowed(options(without).json()));
        assertThat(allowed(stranger.json())).hasSize(1).isEqualTo(allowed(options(unknown).json()))
                .isNotEqualTo(allowed(none.json()));
        assertThat(allowed(real.json())).hasSize(1);
        assertThat(stranger.json().path("publicKey").path("challenge").asText())
                .isNotEqualTo(options(unknown).json().path("publicKey").path("challenge").asText());
        assertThat(stranger.json().path("publicKey").path("rpId").asText()).isEqualTo(real.json().path("publicKey").path("rpId").asText());

        SoftwareAuthenticator guesser = new SoftwareAuthenticator(Algorithm.ES256, origin);
        assertProblem(api.post("/auth/passkey").json(Map.of("email", unknown, "session", stranger.json().path("session").asText(),
                "credential", guesser.get(stranger.json().path("publicKey")))).send(), 401, "InvalidCredentials");
    }

    @Test
    void aDisabledAccount_cannotSignInWithItsPasskey() {
        TestUser user = TestUsers.confirmed("passkey-disabled");
        String token = user.login().accessToken();
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(Algorithm.RS256, origin);
        assertThat(register(token, authenticator, "Laptop").status()).isEqualTo(201);
        String sub = Jwt.claims(token).path("sub").asText();
        assertThat(api.post("/users/" + sub + "/disable").bearer(Admins.token()).send().status()).isEqualTo(204);

        assertProblem(signIn(user.email(), authenticator), 401, "InvalidCredentials");

        assertThat(api.post("/users/" + sub + "/enable").bearer(Admins.token()).send().status()).isEqualTo(204);
        assertThat(signIn(user.email(), authenticator).status()).isEqualTo(200);
    }

    /**
     * docs/SECURITY.md item 31: Cognito's own registration calls take the user's access token alone, so a stolen token
     * can plant a passkey at Cognito around the API's recent-sign-in rule. Such a passkey never signs in through the
     * API (the bad assertion's answer), and is deleted at Cognito — at that sign-in, or at the owner's next listing.
     */
    @Test
    void b31_aPasskeyPlantedAtCognitoWithTheUsersToken_neverSignsIn_andIsRemovedThere() {
        Requires.cognito();
        CognitoIdentityProviderClient cognito = Target.get().cognito().orElseThrow();
        TestUser user = TestUsers.confirmed("b31-passkey-planted");
        String token = user.login().accessToken();
        SoftwareAuthenticator planted = plant(cognito, token);
        assertThat(atCognito(cognito, token)).containsExactly(planted.credentialId());

        ApiResponse refused = signIn(user.email(), planted);

        assertProblem(refused, 401, "InvalidCredentials");
        assertThat(atCognito(cognito, token)).as("deleted at Cognito").isEmpty();
        ApiResponse badAssertion = signIn(user.email(), planted); // now Cognito itself refuses: no such credential
        assertProblem(badAssertion, 401, "InvalidCredentials");
        assertThat(refused.json().path("detail").asText()).isEqualTo(badAssertion.json().path("detail").asText());
        List<String> events = activity(token);
        // the refused sign-in's two events may share a millisecond: their order is not asserted
        assertThat(events.subList(0, 3)).containsExactlyInAnyOrder("SIGN_IN_FAILED", "SIGN_IN_FAILED", "PASSKEY_REMOVED");
        assertThat(events.get(3)).as("the user's own password sign-in: the passkey made none").isEqualTo("SIGN_IN");
        assertThat(events).doesNotContain("PASSKEY_ADDED");

        SoftwareAuthenticator listed = plant(cognito, token);
        SoftwareAuthenticator registered = new SoftwareAuthenticator(Algorithm.ES256, origin);
        assertThat(register(token, registered, "Laptop").status()).isEqualTo(201);
        ApiResponse list = api.get("/me/passkeys").bearer(token).send();
        List<String> ids = new ArrayList<>();
        list.json().path("items").forEach(item -> ids.add(item.path("id").asText()));
        assertThat(ids).as("a planted passkey is not adopted").containsExactly(registered.credentialId());
        assertThat(atCognito(cognito, token)).as("but deleted at Cognito").containsExactly(registered.credentialId())
                .doesNotContain(listed.credentialId());
        assertThat(signIn(user.email(), registered).status()).as("the API's own passkey still signs in").isEqualTo(200);
    }

    /** Registers a passkey at Cognito directly with the user's access token (what a thief holding it could do). */
    private SoftwareAuthenticator plant(CognitoIdentityProviderClient cognito, String token) {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(Algorithm.ES256, origin);
        Document options = cognito.startWebAuthnRegistration(r -> r.accessToken(token)).credentialCreationOptions();
        Map<String, Object> credential = authenticator.create(Documents.toJson(options));
        cognito.completeWebAuthnRegistration(r -> r.accessToken(token).credential(Documents.fromJava(credential)));
        return authenticator;
    }

    private static List<String> atCognito(CognitoIdentityProviderClient cognito, String token) {
        List<String> ids = new ArrayList<>();
        cognito.listWebAuthnCredentials(r -> r.accessToken(token)).credentials().forEach(c -> ids.add(c.credentialId()));
        return ids;
    }

    /** Every field name of an answer, nested, with the type of its value: what an observer could compare. */
    private static TreeSet<String> shape(JsonNode node) {
        TreeSet<String> out = new TreeSet<>();
        shape("", node, out);
        return out;
    }

    private static void shape(String path, JsonNode node, TreeSet<String> out) {
        out.add(path + ":" + node.getNodeType());
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                shape(path + "/" + field.getKey(), field.getValue(), out);
            }
        } else if (node.isArray()) {
            node.forEach(item -> shape(path + "[]", item, out));
        }
    }

    private static List<String> allowed(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.path("publicKey").path("allowCredentials").forEach(c -> ids.add(c.path("id").asText()));
        return ids;
    }
}
