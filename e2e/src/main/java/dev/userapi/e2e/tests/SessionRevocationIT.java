package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /me/sessions/{id}} (issue 18): one session ends — its refresh token and its access tokens at once —
 * and nothing else; nobody can end, or learn of, another user's session.
 */
class SessionRevocationIT {
    private final ApiClient api = Target.get().api();

    private List<String> sessionIds(Tokens tokens) {
        ApiResponse response = api.get("/me/sessions").bearer(tokens.accessToken()).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode item : response.json().path("items")) {
            ids.add(item.path("id").asText());
        }
        return ids;
    }

    /** Signs in and answers the new session's id (the one the list did not hold before). */
    private String newSession(TestUser user, Tokens[] out) {
        Tokens existing = user.login();
        List<String> before = sessionIds(existing);
        Tokens tokens = user.login();
        List<String> after = new ArrayList<>(sessionIds(tokens));
        after.removeAll(before);
        assertThat(after).as("the new session").hasSize(1);
        api.post("/auth/logout").json(Map.of("refreshToken", existing.refreshToken())).send();
        out[0] = tokens;
        return after.get(0);
    }

    @Test
    void a10_revokingOneSession_refusesItsRefreshAndAccessTokensAtOnce_andLeavesOthersAlone() {
        TestUser user = TestUsers.confirmed("revoke-one");
        Tokens[] holder = new Tokens[1];
        String phoneId = newSession(user, holder);
        Tokens phone = holder[0];
        ApiResponse refreshed = api.post("/auth/refresh").json(Map.of("refreshToken", phone.refreshToken())).send();
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        String phoneRefreshed = refreshed.json().path("accessToken").asText();
        Tokens laptop = user.login();

        ApiResponse revoked = api.delete("/me/sessions/" + phoneId).bearer(laptop.accessToken()).send();

        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
        assertThat(api.get("/me").bearer(phone.accessToken()).send().status()).as("the session's access token").isEqualTo(401);
        assertThat(api.get("/me").bearer(phoneRefreshed).send().status()).as("and the one its refresh issued").isEqualTo(401);
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", phone.refreshToken())).send().status())
                .as("its refresh token").isEqualTo(401);
        assertThat(api.get("/me").bearer(laptop.accessToken()).send().status()).as("the other session").isEqualTo(200);
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", laptop.refreshToken())).send().status()).isEqualTo(200);
        assertThat(sessionIds(laptop)).doesNotContain(phoneId);
        assertProblem(api.delete("/me/sessions/" + phoneId).bearer(laptop.accessToken()).send(), 404, "NotFound");
    }

    @Test
    void b13_anotherUsersSessionId_is404LikeAnUnknownOne_andTheirSessionGoesOn() {
        TestUser victim = TestUsers.confirmed("revoke-victim");
        Tokens[] holder = new Tokens[1];
        String victimSession = newSession(victim, holder);
        Tokens victimTokens = holder[0];
        Tokens attacker = TestUsers.confirmed("revoke-attacker").login();

        ApiResponse theirs = api.delete("/me/sessions/" + victimSession).bearer(attacker.accessToken()).send();
        ApiResponse unknown = api.delete("/me/sessions/" + UUID.randomUUID()).bearer(attacker.accessToken()).send();

        assertProblem(theirs, 404, "NotFound");
        assertProblem(unknown, 404, "NotFound");
        assertThat(theirs.json().path("detail").asText()).isEqualTo(unknown.json().path("detail").asText());
        assertThat(theirs.json().path("title").asText()).isEqualTo(unknown.json().path("title").asText());
        assertThat(api.get("/me").bearer(victimTokens.accessToken()).send().status()).as("the victim's session").isEqualTo(200);
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", victimTokens.refreshToken())).send().status()).isEqualTo(200);
        assertThat(sessionIds(victimTokens)).contains(victimSession);
    }

    @Test
    void revokingASession_needsAToken_andOddIdsAre404() {
        Tokens tokens = TestUsers.confirmed("revoke-odd").login();
        assertThat(api.delete("/me/sessions/" + UUID.randomUUID()).send().status()).isEqualTo(401);
        for (String id : List.of("..%2F..%2Fme", "%20", "x".repeat(200), "SESSION%23abc")) {
            ApiResponse response = api.delete("/me/sessions/" + id).bearer(tokens.accessToken()).send();
            assertThat(response.status()).as(id + ": " + response).isIn(400, 404);
        }
        assertThat(api.get("/me").bearer(tokens.accessToken()).send().status()).isEqualTo(200);
    }
}
