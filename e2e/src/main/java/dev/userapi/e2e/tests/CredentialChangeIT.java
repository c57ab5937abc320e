package dev.userapi.e2e.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Tokens;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Credential changes end sessions (docs/SECURITY.md item 27): whoever stole a session before a
 * password change, a forgotten-password reset or an administrator's reset loses it — the access
 * token is refused by the authorizer and the refresh token refused — while the password change
 * itself hands the caller fresh tokens that work.
 */
class CredentialChangeIT {
    private static final String NEW_PASSWORD = "Brand-New-Passw0rd!";

    private final ApiClient api = Target.get().api();
    private final OutboxClient outbox = Target.get().outbox();

    private void assertEnded(Tokens stolen) {
        ApiResponse me = api.get("/me").bearer(stolen.accessToken()).send();
        assertThat(me.status()).as("the old access token: " + me).isEqualTo(401);
        ApiResponse refreshed = api.post("/auth/refresh").json(Map.of("refreshToken", stolen.refreshToken())).send();
        assertThat(refreshed.status()).as("the old refresh token: " + refreshed).isEqualTo(401);
    }

    @Test
    void b27_passwordChange_endsEveryOtherSession_andAnswers200WithFreshTokens() {
        Requires.authorizerCacheOff();
        TestUser user = TestUsers.confirmed("pw-change");
        Tokens stolen = user.login();
        Tokens mine = user.login();

        ApiResponse changed = api.post("/me/password").bearer(mine.accessToken())
                .json(Map.of("currentPassword", user.password(), "newPassword", NEW_PASSWORD)).send();

        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        String freshAccess = changed.json().path("accessToken").asText();
        String freshRefresh = changed.json().path("refreshToken").asText();
        assertThat(freshAccess).isNotEmpty();
        assertEnded(stolen);
        assertEnded(mine);
        assertThat(api.get("/me").bearer(freshAccess).send().status()).as("the fresh access token").isEqualTo(200);
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", freshRefresh)).send().status())
                .as("the fresh refresh token").isEqualTo(200);
        assertThat(api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send().status())
                .isEqualTo(401);
        new TestUser(user.email(), NEW_PASSWORD).login();
    }

    @Test
    void b32_passwordChange_withAWrongCurrentPassword_is403InvalidCredentials_andChangesNothing() {
        TestUser user = TestUsers.confirmed("pw-wrong");
        Tokens tokens = user.login();

        ApiResponse refused = api.post("/me/password").bearer(tokens.accessToken())
                .json(Map.of("currentPassword", "Not-The-Current-1!", "newPassword", NEW_PASSWORD)).send();

        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.json().path("code").asText()).isEqualTo("InvalidCredentials");
        assertThat(api.get("/me").bearer(tokens.accessToken()).send().status()).isEqualTo(200);
        user.login();
    }

    @Test
    void b27_forgottenPasswordReset_endsEverySession() {
        Requires.outbox();
        Requires.authorizerCacheOff();
        TestUser user = TestUsers.confirmed("pw-forgot");
        Tokens stolen = user.login();
        api.post("/auth/forgot-password").json(Map.of("email", user.email())).send();
        String code = outbox.latestCode(user.email(), "FORGOT_PASSWORD");

        ApiResponse reset = api.post("/auth/reset-password")
                .json(Map.of("email", user.email(), "code", code, "newPassword", NEW_PASSWORD)).send();

        assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
        assertEnded(stolen);
        new TestUser(user.email(), NEW_PASSWORD).login();
    }

    @Test
    void b27_adminReset_endsEverySession() {
        Requires.admin();
        Requires.outbox();
        Requires.authorizerCacheOff();
        TestUser user = TestUsers.confirmed("pw-admin-reset");
        Tokens stolen = user.login();
        String admin = Admins.token();
        String id = api.get("/me").bearer(stolen.accessToken()).send().json().path("id").asText();

        ApiResponse reset = api.post("/users/" + id + "/reset-password").bearer(admin).send();

        assertThat(reset.status()).as(reset.toString()).isEqualTo(202);
        assertEnded(stolen);
        String code = outbox.latestCode(user.email(), "ADMIN_RESET_PASSWORD", "FORGOT_PASSWORD");
        assertThat(api.post("/auth/reset-password").json(Map.of("email", user.email(), "code", code, "newPassword", NEW_PASSWORD))
                .send().status()).isEqualTo(200);
        new TestUser(user.email(), NEW_PASSWORD).login();
    }

    @Test
    void b27_aDisabledUser_cannotCompleteAReset_theAnswerIsAWrongCodes_andNothingChanges() {
        Requires.admin();
        Requires.outbox();
        TestUser user = TestUsers.confirmed("pw-disabled");
        String admin = Admins.token();
        String id = api.get("/me").bearer(user.login().accessToken()).send().json().path("id").asText();
        api.post("/auth/forgot-password").json(Map.of("email", user.email())).send();
        String code = outbox.latestCode(user.email(), "FORGOT_PASSWORD");
        assertThat(api.post("/users/" + id + "/disable").bearer(admin).send().status()).isEqualTo(204);

        ApiResponse refused = api.post("/auth/reset-password")
                .json(Map.of("email", user.email(), "code", code, "newPassword", NEW_PASSWORD)).send();
        ApiResponse wrongCode = api.post("/auth/reset-password")
                .json(Map.of("email", user.email(), "code", code.equals("000000") ? "111111" : "000000", "newPassword", NEW_PASSWORD))
                .send();

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("code").asText()).isEqualTo("CodeMismatch");
        assertThat(refused.json().path("detail").asText()).isEqualTo(wrongCode.json().path("detail").asText());
        assertThat(api.post("/users/" + id + "/enable").bearer(admin).send().status()).isEqualTo(204);
        assertThat(api.post("/auth/login").json(Map.of("email", user.email(), "password", NEW_PASSWORD)).send().status())
                .as("the new password was never set").isEqualTo(401);
        user.login();
    }
}
