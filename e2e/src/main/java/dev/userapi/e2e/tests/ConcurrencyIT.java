package dev.userapi.e2e.tests;

import dev.userapi.e2e.Requires;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.client.Race;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.Table;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Races through the whole stack (docs/SECURITY.md items 21 and 23): every outcome is consistent, every
 * acknowledged write is visible afterwards in a consistent read, and none is lost or applied twice.
 */
class ConcurrencyIT {
    private final ApiClient api = Target.get().api();

    @org.junit.jupiter.api.BeforeEach
    void bursts() {
        Requires.highThrottling();
    }

    private static Map<String, AttributeValue> profileItem(String id) {
        return Table.profileItem(id);
    }

    @Test
    void d23_twoPatchesWithTheSameVersion_oneWinsOneGets412() throws Exception {
        String token = TestUsers.confirmed("race-patch").login().accessToken();
        String etag = api.get("/me").bearer(token).send().header("ETag").orElseThrow();

        List<ApiResponse> results = Race.run(2, i -> () -> api.patch("/me").bearer(token).header("If-Match", etag)
                .json(Map.of("name", "writer-" + i)).send());

        List<Integer> statuses = results.stream().map(ApiResponse::status).sorted().toList();
        assertThat(statuses).containsExactly(200, 412);
        ApiResponse winner = results.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        ApiResponse after = api.get("/me").bearer(token).send();
        assertThat(after.json().path("name").asText()).isEqualTo(winner.json().path("name").asText());
        assertThat(after.json().path("version").asLong()).isEqualTo(winner.json().path("version").asLong());
    }

    @Test
    void d23_theUserAndAnAdminWritingTheSameVersion_oneWinsOneGets412() throws Exception {
        Requires.dynamoDb();
        String token = TestUsers.confirmed("race-admin-patch").login().accessToken();
        ApiResponse me = api.get("/me").bearer(token).send();
        String id = me.json().path("id").asText();
        String etag = me.header("ETag").orElseThrow();
        String admin = Admins.token();

        List<ApiResponse> results = Race.run(2, i -> () -> i == 0
                ? api.patch("/me").bearer(token).header("If-Match", etag).json(Map.of("name", "by-the-user")).send()
                : api.patch("/users/" + id).bearer(admin).header("If-Match", etag).json(Map.of("name", "by-the-admin")).send());

        assertThat(results.stream().map(ApiResponse::status).sorted().toList()).containsExactly(200, 412);
        String winner = results.stream().filter(r -> r.status() == 200).findFirst().orElseThrow().json().path("name").asText();
        assertThat(profileItem(id).get("name").s()).isEqualTo(winner);
    }

    /**
     * Twenty unconditional writes at once: each is applied exactly once (the versions the API
     * acknowledged are exactly the twenty after the start, none twice, none missing), and the profile
     * ends with the value of the write that got the last version.
     */
    @Test
    void d23_concurrentPatchesWithoutIfMatch_areEachAppliedOnce_noneLost() throws Exception {
        String token = TestUsers.confirmed("race-unconditional").login().accessToken();
        long start = api.get("/me").bearer(token).send().json().path("version").asLong();
        int writers = 20;

        List<ApiResponse> results = Race.run(writers, i -> () -> api.patch("/me").bearer(token).json(Map.of("name", "writer-" + i)).send());

        assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        List<Long> versions = results.stream().map(r -> r.json().path("version").asLong()).sorted().toList();
        assertThat(versions).containsExactlyElementsOf(LongStream.rangeClosed(start + 1, start + writers).boxed().toList());
        JsonNode last = results.stream().map(ApiResponse::json).max(Comparator.comparingLong(j -> j.path("version").asLong())).orElseThrow();
        JsonNode after = api.get("/me").bearer(token).send().json();
        assertThat(after.path("version").asLong()).isEqualTo(start + writers);
        assertThat(after.path("name").asText()).isEqualTo(last.path("name").asText());
    }

    /** Writes of different fields at once never clobber each other: every one is visible afterwards. */
    @Test
    void d23_concurrentPatchesOfDifferentFields_areAllVisibleAfterwards() throws Exception {
        String token = TestUsers.confirmed("race-fields").login().accessToken();
        List<Map<String, Object>> writes = List.of(Map.of("name", "Ada"), Map.of("locale", "en-GB"),
                Map.of("picture", "https://img.example/ada.png"), Map.of("phoneNumber", "+447700900123"));

        List<ApiResponse> results = Race.run(writes.size(), i -> () -> api.patch("/me").bearer(token).json(writes.get(i)).send());

        assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        JsonNode after = api.get("/me").bearer(token).send().json();
        writes.forEach(w -> w.forEach((field, value) -> assertThat(after.path(field).asText()).as(field).isEqualTo(value)));
    }

    /**
     * Ten users each writing five values in turn, all users at once: at the end every user's profile
     * holds the last value the API acknowledged to that user, at version 1 + 5 (read back from DynamoDB).
     */
    @Test
    void d23_manyUsersWritingAtOnce_everyAcknowledgedWriteIsReadBack() throws Exception {
        Requires.dynamoDb();
        int users = 10;
        int writes = 5;
        List<String> tokens = IntStream.range(0, users).mapToObj(i -> TestUsers.confirmed("race-many").login().accessToken()).toList();

        List<String> lastAcknowledged = Race.run(users, i -> () -> {
            String last = null;
            for (int w = 0; w < writes; w++) {
                String value = "user-" + i + "-write-" + w;
                ApiResponse response = api.patch("/me").bearer(tokens.get(i)).json(Map.of("name", value)).send();
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                last = value;
            }
            return last;
        });

        for (int i = 0; i < users; i++) {
            String id = api.get("/me").bearer(tokens.get(i)).send().json().path("id").asText();
            Map<String, AttributeValue> item = profileItem(id);
            assertThat(item.get("name").s()).isEqualTo(lastAcknowledged.get(i));
            assertThat(item.get("version").n()).isEqualTo(String.valueOf(1 + writes));
        }
    }

    /**
     * Fifty role changes at once: every one acknowledged is applied exactly once (the version grew by
     * the number of 200s), the profile, its role items and the Cognito groups agree, and the API
     * reads the same.
     */
    @Test
    void fiftyConcurrentRoleChanges_endInOneConsistentStateInDynamoDbAndCognito() throws Exception {
        Requires.dynamoDb();
        Requires.cognito();
        TestUser user = TestUsers.confirmed("race-roles");
        String id = api.get("/me").bearer(user.login().accessToken()).send().json().path("id").asText();
        String admin = Admins.token();
        long before = Long.parseLong(profileItem(id).get("version").n());
        List<List<String>> choices = List.of(List.of("user"), List.of("user", "admin"));

        List<ApiResponse> results = Race.run(50, i -> () -> api.put("/users/" + id + "/roles").bearer(admin)
                .json(Map.of("roles", choices.get(i % 2))).send());

        assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(200, 409, 503));
        long acknowledged = results.stream().filter(r -> r.status() == 200).count();
        assertThat(acknowledged).isGreaterThan(0);

        // DynamoDB: every acknowledged change applied once; the profile's roles, the role items and the index agree
        var profile = profileItem(id);
        assertThat(Long.parseLong(profile.get("version").n())).isEqualTo(before + acknowledged);
        Set<String> profileRoles = profile.get("roles").l().stream().map(AttributeValue::s).collect(Collectors.toSet());
        Set<String> roleItems = Table.roleItems(id).stream().map(item -> item.get("role").s()).collect(Collectors.toSet());
        assertThat(roleItems).isEqualTo(profileRoles);

        // Cognito mirrors DynamoDB
        Set<String> groups = new HashSet<>(Table.groups(id));
        assertThat(groups).isEqualTo(profileRoles);

        // the API reads the same
        assertThat(api.get("/users/" + id).bearer(admin).send().json().path("roles").toString())
                .isEqualTo(profileRoles.stream().sorted().map(r -> "\"" + r + "\"").collect(Collectors.joining(",", "[", "]")));
        api.put("/users/" + id + "/roles").bearer(admin).json(Map.of("roles", List.of("user"))).send();
    }

    @Test
    void d21_signUpOfTheSameEmailRacing_endsWithOneAccount() throws Exception {
        Requires.outbox();
        String email = TestUsers.uniqueEmail("race-signup");
        List<ApiResponse> results = Race.run(10, () -> api.post("/auth/sign-up")
                .json(Map.of("email", email, "password", TestUsers.PASSWORD)).send());
        assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(202));

        String code = Target.get().outbox().confirmationCode(email);
        assertThat(api.post("/auth/confirm").json(Map.of("email", email, "code", code, "password", TestUsers.PASSWORD)).send().status()).isEqualTo(200);
        String token = new TestUser(email, TestUsers.PASSWORD).login().accessToken();
        ApiResponse listed = api.get("/users?email=" + email).bearer(Admins.token()).send();
        assertThat(listed.json().path("items")).hasSize(1);
        assertThat(api.get("/me").bearer(token).send().json().path("email").asText()).isEqualTo(email);
    }

    /**
     * Four deletes and eight updates of one account at once. Updates answer 200 (before the delete),
     * 401 (the token of a deleted account), 404, or 503 (busy: met the delete's transaction); deletes
     * 204, 404 or 409 — nothing else. Afterwards the
     * account is gone everywhere: a tombstone without personal data, no role items, no sessions, no
     * Cognito user, absent from the listing.
     */
    @Test
    void deleteWhileUpdating_endsDeletedEverywhere_withNothingLeftBehind() throws Exception {
        Requires.authorizerCacheOff();
        Requires.dynamoDb();
        Requires.cognito();
        TestUser user = TestUsers.confirmed("race-delete");
        String email = user.email();
        String token = user.login().accessToken();
        String id = api.get("/me").bearer(token).send().json().path("id").asText();
        String admin = Admins.token();

        List<ApiResponse> results = Race.run(12, i -> () -> i % 3 == 0
                ? api.delete("/users/" + id).bearer(admin).send()
                : api.patch("/me").bearer(token).json(Map.of("name", "still-here-" + i)).send());

        for (int i = 0; i < results.size(); i++) {
            ApiResponse r = results.get(i);
            // a delete retries while updates move the version (409 after it gives up); an update that meets the
            // delete's transaction is told the store is busy (503): both are answers to retry, not lost writes
            assertThat(r.status()).as(r.toString()).isIn(i % 3 == 0 ? List.of(204, 404, 409) : List.of(200, 401, 404, 503));
        }
        assertThat(results.stream().filter(r -> r.status() == 204).count()).as("one delete did it").isGreaterThanOrEqualTo(1);

        assertThat(api.get("/users/" + id).bearer(admin).send().status()).isEqualTo(404);
        assertThat(api.get("/me").bearer(token).send().status()).isEqualTo(401);
        var item = profileItem(id);
        assertThat(item.get("status").s()).isEqualTo("DELETED");
        assertThat(item).doesNotContainKeys("email", "name", "gsi1pk", "roles");
        var rest = Table.userItems(id);
        assertThat(rest).as("only the tombstone").hasSize(1);
        var sessions = Table.sessionItems(id);
        assertThat(sessions).as("no session left").isEmpty();
        assertThat(api.get("/users?email=" + email).bearer(admin).send().json().path("items")).isEmpty();
        boolean inCognito;
        try {
            Target.get().cognito().orElseThrow().adminGetUser(r -> r.userPoolId(Target.get().userPoolId()).username(id));
            inCognito = true;
        } catch (UserNotFoundException e) {
            inCognito = false;
        }
        assertThat(inCognito).as("the Cognito account is deleted").isFalse();
    }
}
