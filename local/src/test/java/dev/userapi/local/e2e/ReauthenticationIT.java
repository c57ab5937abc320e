package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.local.testing.TestStack;
import dev.userapi.local.testing.TestUser;
import dev.userapi.local.testing.TestUsers;
import dev.userapi.e2e.client.Tokens;
import dev.userapi.e2e.client.Totp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Recent authentication, "sudo mode" (docs/SECURITY.md item 32): a stolen access token — or one
 * refreshed from a stolen refresh token — cannot delete the account, turn MFA off or replace TOTP
 * once its sign-in is older than the stack's {@code ReauthWindowSeconds}; the owner renews it with
 * the password (and TOTP code) at {@code POST /auth/reauthenticate}.
 */
class ReauthenticationIT {
    /** The stack's window ({@link TestStack#OVERRIDES}); the test outwaits it once. */
    private static final Duration WINDOW = Duration.ofSeconds(Long.parseLong(TestStack.OVERRIDES.get("ReauthWindowSeconds")));

    private final ApiClient api = TestStack.api();

    private static void assertProblem(ApiResponse response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.json().path("code").asText()).as(response.toString()).isEqualTo(code);
    }

    @Test
    void b32_anOldSignIn_cannotDeleteTurnOffOrReplaceMfa_untilReauthenticated() throws InterruptedException {
        TestUser user = TestUsers.confirmed("sudo");
        Tokens old = user.login();
        ApiResponse setup = api.post("/me/mfa/totp").bearer(old.accessToken()).send();
        assertThat(setup.status()).as("TOTP off: starting it needs no recent sign-in: " + setup).isEqualTo(200);
        String secret = setup.json().path("secretCode").asText();
        assertThat(api.post("/me/mfa/totp/verify").bearer(old.accessToken()).json(Map.of("code", Totp.now(secret))).send().status())
                .isEqualTo(204);

        Thread.sleep(WINDOW.plusSeconds(2).toMillis());

        assertProblem(api.post("/me/mfa/totp").bearer(old.accessToken()).send(), 403, "ReauthenticationRequired");
        assertProblem(api.delete("/me/mfa").bearer(old.accessToken()).send(), 403, "ReauthenticationRequired");
        assertProblem(api.delete("/me").bearer(old.accessToken()).send(), 403, "ReauthenticationRequired");
        // adding or removing a passkey (issue 18): a stolen token cannot plant one, nor take the owner's away
        assertProblem(api.post("/me/passkeys/options").bearer(old.accessToken()).send(), 403, "ReauthenticationRequired");
        assertProblem(api.delete("/me/passkeys/AAAA").bearer(old.accessToken()).send(), 403, "ReauthenticationRequired");
        ApiResponse refreshed = api.post("/auth/refresh").json(Map.of("refreshToken", old.refreshToken())).send();
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        assertProblem(api.delete("/me/mfa").bearer(refreshed.json().path("accessToken").asText()).send(), 403,
                "ReauthenticationRequired");
        assertThat(api.get("/me").bearer(old.accessToken()).send().json().path("mfaEnabled").asBoolean())
                .as("nothing changed").isTrue();

        assertProblem(api.post("/auth/reauthenticate").bearer(old.accessToken()).json(Map.of("password", user.password())).send(),
                403, "InvalidCredentials");
        assertProblem(api.post("/auth/reauthenticate").bearer(old.accessToken())
                .json(Map.of("password", "Not-The-Password-1!", "code", Totp.now(secret))).send(), 403, "InvalidCredentials");
        assertProblem(api.post("/auth/reauthenticate").json(Map.of("password", user.password())).send(), 401, "Unauthorized");
        ApiResponse renewed = api.post("/auth/reauthenticate").bearer(old.accessToken())
                .json(Map.of("password", user.password(), "code", Totp.now(secret))).send();

        assertThat(renewed.status()).as(renewed.toString()).isEqualTo(200);
        String fresh = renewed.json().path("accessToken").asText();
        assertThat(renewed.json().path("refreshToken").asText()).isNotEmpty().isNotEqualTo(old.refreshToken());
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", old.refreshToken())).send().status())
                .as("the old session is replaced").isEqualTo(401);
        assertThat(api.get("/me").bearer(old.accessToken()).send().status()).as("its access tokens are refused at once").isEqualTo(401);
        assertThat(api.get("/me").bearer(refreshed.json().path("accessToken").asText()).send().status())
                .as("every access token of that session").isEqualTo(401);
        assertThat(api.post("/me/passkeys/options").bearer(fresh).send().status()).isEqualTo(200);
        assertThat(api.post("/me/mfa/totp").bearer(fresh).send().status()).isEqualTo(200);
        assertThat(api.delete("/me/mfa").bearer(fresh).send().status()).isEqualTo(204);
        assertThat(api.delete("/me").bearer(fresh).send().status()).isEqualTo(204);
    }

    @Test
    void b32_reauthenticate_withoutTotp_needsOnlyThePassword_andKeepsTheAccount() {
        TestUser user = TestUsers.confirmed("sudo-plain");
        Tokens tokens = user.login();
        String id = api.get("/me").bearer(tokens.accessToken()).send().json().path("id").asText();

        assertProblem(api.post("/auth/reauthenticate").bearer(tokens.accessToken()).json(Map.of("password", "Wrong-Passw0rd-Here!"))
                .send(), 403, "InvalidCredentials");
        ApiResponse renewed = api.post("/auth/reauthenticate").bearer(tokens.accessToken())
                .json(Map.of("password", user.password())).send();

        assertThat(renewed.status()).as(renewed.toString()).isEqualTo(200);
        assertThat(api.get("/me").bearer(renewed.json().path("accessToken").asText()).send().json().path("id").asText())
                .as("the same account").isEqualTo(id);
    }
}
