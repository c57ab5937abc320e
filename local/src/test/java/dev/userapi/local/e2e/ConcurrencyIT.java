package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.local.testing.Admins;
import dev.userapi.local.testing.ApiClient;
import dev.userapi.local.testing.ApiResponse;
import dev.userapi.local.testing.StackClients;
import dev.userapi.local.testing.TestStack;
import dev.userapi.local.testing.TestUser;
import dev.userapi.local.testing.TestUsers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Races through the whole stack: every outcome consistent, every acknowledged write visible. */
class ConcurrencyIT {
    private final ApiClient api = TestStack.api();

    private static <T> List<T> race(int n, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void d23_twoPatchesWithTheSameVersion_oneWinsOneGets412() throws Exception {
        String token = TestUsers.confirmed("race-patch").login().accessToken();
        String etag = api.get("/me").bearer(token).send().header("ETag").orElseThrow();

        List<ApiResponse> results = race(2, () -> api.patch("/me").bearer(token).header("If-Match", etag)
                .json(Map.of("name", "writer-" + Thread.currentThread().getId())).send());

        List<Integer> statuses = results.stream().map(ApiResponse::status).sorted().toList();
        assertThat(statuses).containsExactly(200, 412);
        ApiResponse winner = results.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        ApiResponse after = api.get("/me").bearer(token).send();
        assertThat(after.json().path("name").asText()).isEqualTo(winner.json().path("name").asText());
        assertThat(after.json().path("version").asLong()).isEqualTo(winner.json().path("version").asLong());
    }

    @Test
    void fiftyConcurrentRoleChanges_endInOneConsistentStateInDynamoDbAndCognito() throws Exception {
        TestUser user = TestUsers.confirmed("race-roles");
        String id = api.get("/me").bearer(user.login().accessToken()).send().json().path("id").asText();
        String admin = Admins.token();
        List<List<String>> choices = List.of(List.of("user"), List.of("user", "admin"));
        int[] i = {0};

        List<ApiResponse> results = race(50, () -> {
            List<String> roles;
            synchronized (i) {
                roles = choices.get(i[0]++ % 2);
            }
            return api.put("/users/" + id + "/roles").bearer(admin).json(Map.of("roles", roles)).send();
        });

        assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(200, 409, 503));
        assertThat(results.stream().filter(r -> r.status() == 200).count()).isGreaterThan(0);

        // DynamoDB: the profile's roles, the role items and the index agree
        var db = StackClients.dynamoDb();
        var profile = db.getItem(r -> r.tableName(StackClients.table()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("USER#" + id), "sk", AttributeValue.fromS("PROFILE")))).item();
        Set<String> profileRoles = profile.get("roles").l().stream().map(AttributeValue::s).collect(Collectors.toSet());
        Set<String> roleItems = db.query(r -> r.tableName(StackClients.table()).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :role)")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("USER#" + id), ":role", AttributeValue.fromS("ROLE#"))))
                .items().stream().map(item -> item.get("role").s()).collect(Collectors.toSet());
        assertThat(roleItems).isEqualTo(profileRoles);

        // Cognito mirrors DynamoDB
        Set<String> groups = new HashSet<>(StackClients.cognito().adminListGroupsForUser(r -> r.userPoolId(StackClients.pool()).username(id))
                .groups().stream().map(GroupType::groupName).toList());
        assertThat(groups).isEqualTo(profileRoles);

        // the API reads the same
        assertThat(api.get("/users/" + id).bearer(admin).send().json().path("roles").toString())
                .isEqualTo(profileRoles.stream().sorted().map(r -> "\"" + r + "\"").collect(Collectors.joining(",", "[", "]")));
    }

    @Test
    void d21_signUpOfTheSameEmailRacing_endsWithOneAccount() throws Exception {
        String email = TestUsers.uniqueEmail("race-signup");
        List<ApiResponse> results = race(10, () -> api.post("/auth/sign-up")
                .json(Map.of("email", email, "password", TestUsers.PASSWORD)).send());
        assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(202));

        String code = TestStack.outbox().confirmationCode(email);
        assertThat(api.post("/auth/confirm").json(Map.of("email", email, "code", code)).send().status()).isEqualTo(200);
        String token = new TestUser(email, TestUsers.PASSWORD).login().accessToken();
        ApiResponse listed = api.get("/users?email=" + email).bearer(Admins.token()).send();
        assertThat(listed.json().path("items")).hasSize(1);
        assertThat(api.get("/me").bearer(token).send().json().path("email").asText()).isEqualTo(email);
    }

    @Test
    void deleteWhileUpdating_endsDeletedWithNoProfileLeftBehind() throws Exception {
        TestUser user = TestUsers.confirmed("race-delete");
        String token = user.login().accessToken();
        String id = api.get("/me").bearer(token).send().json().path("id").asText();
        String admin = Admins.token();

        List<ApiResponse> results = race(8, () -> Thread.currentThread().getId() % 2 == 0
                ? api.delete("/users/" + id).bearer(admin).send()
                : api.patch("/me").bearer(token).json(Map.of("name", "still-here")).send());
        assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isLessThan(500));

        api.delete("/users/" + id).bearer(admin).send();
        assertThat(api.get("/users/" + id).bearer(admin).send().status()).isEqualTo(404);
        var item = StackClients.dynamoDb().getItem(r -> r.tableName(StackClients.table()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("USER#" + id), "sk", AttributeValue.fromS("PROFILE")))).item();
        assertThat(item.get("status").s()).isEqualTo("DELETED");
        assertThat(item).doesNotContainKeys("email", "name");
    }
}
