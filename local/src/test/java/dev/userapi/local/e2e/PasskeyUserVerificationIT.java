package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.SoftwareAuthenticator;
import dev.userapi.e2e.client.SoftwareAuthenticator.Algorithm;
import dev.userapi.local.DevStack;
import dev.userapi.local.ProjectLayout;
import dev.userapi.local.StackOptions;
import dev.userapi.local.testing.TestStack;
import dev.userapi.local.testing.TestUser;
import dev.userapi.local.testing.TestUsers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code PasskeyUserVerification=required} (the pool's {@code WebAuthnUserVerification}): an authenticator that does
 * not set the user-verified flag (no PIN, no biometrics) is refused at registration and at sign-in; the same
 * authenticator with the flag set is accepted, so the refusals are the flag's. A stack of its own (the shared one runs
 * with the default, {@code preferred}).
 */
class PasskeyUserVerificationIT {
    /** The template's default {@code AllowedOrigins}: an origin the relying party accepts. */
    private static final String ORIGIN = "http://localhost:3000";
    private static DevStack stack;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        Map<String, String> overrides = new LinkedHashMap<>(TestStack.OVERRIDES);
        overrides.put("PasskeyUserVerification", "required");
        stack = DevStack.start(StackOptions.defaults(ProjectLayout.findRoot()).withParameterOverrides(overrides));
        api = new ApiClient(stack.apiUrl());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private ApiResponse register(String token, SoftwareAuthenticator authenticator) {
        ApiResponse options = api.post("/me/passkeys/options").bearer(token).send();
        assertThat(options.status()).as(options.toString()).isEqualTo(200);
        assertThat(options.json().path("publicKey").path("authenticatorSelection").path("userVerification").asText()).isEqualTo("required");
        return api.post("/me/passkeys").bearer(token).json(Map.of("credential", authenticator.create(options.json().path("publicKey")))).send();
    }

    private ApiResponse signIn(String email, SoftwareAuthenticator authenticator) {
        ApiResponse options = api.post("/auth/passkey/options").json(Map.of("email", email)).send();
        assertThat(options.status()).as(options.toString()).isEqualTo(200);
        assertThat(options.json().path("publicKey").path("userVerification").asText()).isEqualTo("required");
        return api.post("/auth/passkey").json(Map.of("email", email, "session", options.json().path("session").asText(),
                "credential", authenticator.get(options.json().path("publicKey")))).send();
    }

    @Test
    void withUserVerificationRequired_anAuthenticatorWithoutIt_isRefused_atRegistrationAndAtSignIn() {
        TestUser user = TestUsers.confirmed(api, "passkey-uv");
        String token = user.login(api).accessToken();
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(Algorithm.ES256, ORIGIN);

        authenticator.userVerified = false;
        ApiResponse unverified = register(token, authenticator);
        assertThat(unverified.status()).as(unverified.toString()).isEqualTo(400);
        assertThat(unverified.json().path("code").asText()).isEqualTo("InvalidRequest");
        assertThat(api.get("/me/passkeys").bearer(token).send().json().path("items")).as("nothing registered").isEmpty();

        authenticator.userVerified = true;
        ApiResponse verified = register(token, authenticator);
        assertThat(verified.status()).as(verified.toString()).isEqualTo(201);

        authenticator.userVerified = false;
        ApiResponse refused = signIn(user.email(), authenticator);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.json().path("code").asText()).isEqualTo("InvalidCredentials");

        authenticator.userVerified = true;
        ApiResponse signedIn = signIn(user.email(), authenticator);
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
    }
}
