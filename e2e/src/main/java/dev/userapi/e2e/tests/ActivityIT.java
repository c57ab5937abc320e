package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.Jwt;
import dev.userapi.e2e.client.Table;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Tokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Security activity (issue 18): {@code GET /me/activity} and {@code GET /users/{id}/activity} show sign-ins, failed
 * sign-ins and credential and session changes, newest first, with where they came from; cursors are bound to the
 * account; an unknown address's failed sign-in leaves nothing behind.
 */
class ActivityIT {
    private static final String AGENT = "ActivityIT/1.0 (e2e)";
    private final ApiClient api = Target.get().api();

    private ApiResponse login(String email, String password) {
        return api.post("/auth/login").header("User-Agent", AGENT).json(Map.of("email", email, "password", password)).send();
    }

    private static List<String> events(ApiResponse page) {
        List<String> events = new ArrayList<>();
        for (JsonNode item : page.json().path("items")) {
            events.add(item.path("event").asText());
        }
        return events;
    }

    private static String subOf(String accessToken) {
        return Jwt.claims(accessToken).path("sub").asText();
    }

    @Test
    void signIns_failures_andCredentialAndSessionChanges_areListedNewestFirst_withWhereTheyCameFrom() {
        TestUser user = TestUsers.confirmed("activity");
        assertThat(login(user.email(), "Wrong-Password-1!").status()).isEqualTo(401);
        ApiResponse signedIn = login(user.email(), user.password());
        assertThat(signedIn.status()).isEqualTo(200);
        String token = signedIn.json().path("accessToken").asText();
        ApiResponse changed = api.post("/me/password").bearer(token)
                .json(Map.of("currentPassword", user.password(), "newPassword", user.password() + "2")).send();
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        String fresh = changed.json().path("accessToken").asText();
        ApiResponse sessions = api.get("/me/sessions").bearer(fresh).send();
        String sessionId = sessions.json().path("items").get(0).path("id").asText();
        Tokens other = new TestUser(user.email(), user.password() + "2").login();
        assertThat(api.delete("/me/sessions/" + sessionId).bearer(other.accessToken()).send().status()).isEqualTo(204);

        ApiResponse page = api.get("/me/activity").bearer(other.accessToken()).send();

        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(events(page)).startsWith("SESSION_REVOKED", "SIGN_IN", "SIGN_IN", "PASSWORD_CHANGED", "SIGN_IN", "SIGN_IN_FAILED");
        JsonNode failed = page.json().path("items").get(5);
        assertThat(failed.path("sourceIp").asText()).isNotBlank();
        assertThat(failed.path("userAgent").asText()).isEqualTo(AGENT);
        List<Instant> times = new ArrayList<>();
        page.json().path("items").forEach(i -> times.add(Instant.parse(i.path("at").asText())));
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        ApiResponse asAdmin = api.get("/users/" + subOf(other.accessToken()) + "/activity").bearer(Admins.token()).send();
        assertThat(asAdmin.status()).as(asAdmin.toString()).isEqualTo(200);
        assertThat(events(asAdmin)).isEqualTo(events(page));
    }

    /** Sessions ended by the user's own sign-out or by an administrator, and an administrator's reset, are the user's activity. */
    @Test
    void signOut_andAnAdministratorsSignOutResetAndDisable_areInTheUsersActivity() {
        TestUser user = TestUsers.confirmed("activity-ended");
        Tokens first = user.login();
        Tokens second = user.login();
        String sub = subOf(first.accessToken());
        assertThat(api.post("/auth/logout").json(Map.of("refreshToken", second.refreshToken())).send().status()).isEqualTo(204);
        for (String action : List.of("sign-out", "reset-password", "disable", "enable")) {
            ApiResponse done = api.post("/users/" + sub + "/" + action).bearer(Admins.token()).send();
            assertThat(done.status()).as(action + ": " + done).isIn(202, 204);
        }

        ApiResponse page = api.get("/users/" + sub + "/activity").bearer(Admins.token()).send();

        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> events = events(page);
        // events of one request may share a millisecond, so their order among themselves is not asserted
        assertThat(events.subList(0, 5)).containsExactlyInAnyOrder("SESSION_REVOKED", "SESSION_REVOKED", "PASSWORD_RESET",
                "SESSION_REVOKED", "SESSION_REVOKED");
        assertThat(events.subList(5, events.size())).startsWith("SIGN_IN", "SIGN_IN");
        assertThat(page.json().path("items").get(0).has("sourceIp")).as("an administrator's address is not the user's").isFalse();
    }

    @Test
    void b13_pagesFollowOn_andACursorIsBoundToItsAccount() {
        TestUser victim = TestUsers.confirmed("activity-victim");
        for (int i = 0; i < 3; i++) {
            victim.login();
        }
        String victimToken = victim.login().accessToken();
        Tokens attacker = TestUsers.confirmed("activity-attacker").login();
        ApiResponse first = api.get("/me/activity?limit=2").bearer(victimToken).send();
        assertThat(first.json().path("items")).hasSize(2);
        String cursor = first.json().path("nextCursor").asText();
        assertThat(cursor).isNotBlank();
        String encoded = URLEncoder.encode(cursor, StandardCharsets.UTF_8);

        ApiResponse second = api.get("/me/activity?limit=2&cursor=" + encoded).bearer(victimToken).send();
        ApiResponse stolen = api.get("/me/activity?limit=2&cursor=" + encoded).bearer(attacker.accessToken()).send();

        assertThat(second.status()).isEqualTo(200);
        assertThat(Instant.parse(second.json().path("items").get(0).path("at").asText()))
                .isBeforeOrEqualTo(Instant.parse(first.json().path("items").get(1).path("at").asText()));
        assertProblem(stolen, 400, "InvalidRequest");
        assertProblem(api.get("/me/activity?cursor=not-a-cursor").bearer(victimToken).send(), 400, "InvalidRequest");
        assertProblem(api.get("/me/activity?userId=" + subOf(victimToken)).bearer(attacker.accessToken()).send(), 400, "InvalidRequest");
    }

    @Test
    void b13_anothersActivity_isForAdminsOnly_andAnUnknownIdIs404() {
        Tokens user = TestUsers.confirmed("activity-nosy").login();
        Tokens other = TestUsers.confirmed("activity-other").login();
        assertProblem(api.get("/users/" + subOf(other.accessToken()) + "/activity").bearer(user.accessToken()).send(), 403, "Forbidden");
        assertProblem(api.get("/users/" + UUID.randomUUID() + "/activity").bearer(Admins.token()).send(), 404, "NotFound");
        assertThat(api.get("/me/activity").send().status()).isEqualTo(401);
    }

    @Test
    void b12_aFailedSignInAtAnUnknownAddress_leavesNoItem_whileOneAtAnAccountLeavesOne() {
        Requires.dynamoDb();
        TestUser user = TestUsers.confirmed("activity-known");
        user.login();
        long before = Table.activityItemCount();

        ApiResponse unknown = login(TestUsers.uniqueEmail("activity-unknown"), "Wrong-Password-1!");

        assertProblem(unknown, 401, "InvalidCredentials");
        assertThat(Table.activityItemCount()).as("an unknown address").isEqualTo(before);

        ApiResponse known = login(user.email(), "Wrong-Password-1!");

        assertProblem(known, 401, "InvalidCredentials");
        assertThat(known.json().path("detail").asText()).isEqualTo(unknown.json().path("detail").asText());
        assertThat(Table.activityItemCount()).as("an account").isEqualTo(before + 1);
    }
}
