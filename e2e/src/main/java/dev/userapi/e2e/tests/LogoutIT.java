package dev.userapi.e2e.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Tokens;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Logout ends that session's access tokens at once, and only that session's (issue 16, finding 6; docs/SECURITY.md item 10). */
class LogoutIT {
    private final ApiClient api = Target.get().api();

    @Test
    void a10_logout_refusesThatSessionsAccessTokens_atOnce_andLeavesOtherSessionsAlone() {
        Requires.authorizerCacheOff();
        TestUser user = TestUsers.confirmed("a10-logout");
        Tokens phone = user.login();
        Tokens laptop = user.login();
        ApiResponse refreshed = api.post("/auth/refresh").json(Map.of("refreshToken", phone.refreshToken())).send();
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        String phoneRefreshedToken = refreshed.json().path("accessToken").asText();
        assertThat(api.get("/me").bearer(phone.accessToken()).send().status()).isEqualTo(200);

        assertThat(api.post("/auth/logout").json(Map.of("refreshToken", phone.refreshToken())).send().status()).isEqualTo(204);

        assertThat(api.get("/me").bearer(phone.accessToken()).send().status()).as("the session's first access token").isEqualTo(401);
        assertThat(api.get("/me").bearer(phoneRefreshedToken).send().status()).as("and the one its refresh issued").isEqualTo(401);
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", phone.refreshToken())).send().status()).isEqualTo(401);
        assertThat(api.get("/me").bearer(laptop.accessToken()).send().status()).as("another session").isEqualTo(200);
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", laptop.refreshToken())).send().status()).isEqualTo(200);
        assertThat(api.get("/me").bearer(user.login().accessToken()).send().status()).as("a new sign-in").isEqualTo(200);
    }

    @Test
    void a10_logoutTwice_isStill204_andGarbageIs204() {
        TestUser user = TestUsers.confirmed("a10-logout-twice");
        Tokens tokens = user.login();

        assertThat(api.post("/auth/logout").json(Map.of("refreshToken", tokens.refreshToken())).send().status()).isEqualTo(204);
        assertThat(api.post("/auth/logout").json(Map.of("refreshToken", tokens.refreshToken())).send().status()).isEqualTo(204);
        assertThat(api.post("/auth/logout").json(Map.of("refreshToken", "not-a-token-at-all")).send().status()).isEqualTo(204);
        assertThat(api.get("/me").bearer(tokens.accessToken()).send().status()).isEqualTo(401);
    }
}
