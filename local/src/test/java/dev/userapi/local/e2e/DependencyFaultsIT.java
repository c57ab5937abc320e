package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.local.faults.FaultProxy.Answer;
import dev.userapi.local.faults.Faults;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.local.testing.FaultStack;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.local.testing.TestUser;
import dev.userapi.local.testing.TestUsers;
import dev.userapi.e2e.client.Tokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * docs/SECURITY.md item 25 (and 24) through the whole stack: DynamoDB or Cognito stopped, answering 500, or
 * hanging. Every route answers 503 problem+json {@code ServiceUnavailable} (or works without the
 * dependency it does not need), never a 500, never an SDK message; and nothing is written half-way:
 * afterwards DynamoDB and Cognito are read directly and agree with what the API acknowledged, and a
 * request that failed can simply be repeated.
 *
 * <p>Runs on the {@link FaultStack}, whose gateway caches authorizer decisions (as in production), so
 * a route whose dependency fails can be reached with a token that was authorized before the fault;
 * a token that reaches the authorizer while DynamoDB is down is answered 503 too.
 */
class DependencyFaultsIT {
    private static ApiClient api;
    private static Faults faults;
    private static String admin;

    @BeforeAll
    static void stack() {
        api = FaultStack.api();
        faults = FaultStack.faults();
        admin = FaultStack.adminToken();
        authorize(admin, "/users?limit=1");
    }

    @AfterEach
    void heal() {
        faults.healAll();
    }

    /** A confirmed user with a token the gateway has authorized (cached) and one it has never seen. */
    private record Member(TestUser user, String id, Tokens cached, Tokens fresh) {
    }

    private static Member member(String prefix) {
        TestUser user = TestUsers.confirmed(api, prefix);
        Tokens cached = user.login(api);
        ApiResponse me = authorize(cached.accessToken(), "/me");
        return new Member(user, me.json().path("id").asText(), cached, user.login(api));
    }

    private static ApiResponse authorize(String token, String path) {
        ApiResponse response = api.get(path).bearer(token).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }

    // ------------------------------------------------------------------------------------------ DynamoDB

    @Test
    void d25_dynamoDbStopped_everyRouteAnswers503_orWorksWithoutIt_andNothingIsHalfWritten() {
        Member alice = member("d25-ddb-alice");
        Member bob = member("d25-ddb-bob");
        TestUser unconfirmed = TestUsers.signedUp(api, "d25-ddb-confirm");
        String confirmCode = new OutboxClient(api).confirmationCode(unconfirmed.email());
        JsonNode aliceBefore = profile(alice.id());
        String newByAdmin = TestUsers.uniqueEmail("d25-ddb-created");
        String signedUpDuringOutage = TestUsers.uniqueEmail("d25-ddb-signup");

        faults.dynamoDb().refuse();
        Map<String, ApiResponse> answers = new LinkedHashMap<>();
        answers.put("GET /health", api.get("/health").send());
        answers.put("POST /auth/sign-up", signUp(signedUpDuringOutage));
        answers.put("POST /auth/confirm", api.post("/auth/confirm").json(Map.of("email", unconfirmed.email(), "code", confirmCode, "password", unconfirmed.password())).send());
        answers.put("POST /auth/login", login(alice.user()));
        answers.put("POST /auth/refresh", api.post("/auth/refresh").json(Map.of("refreshToken", alice.cached().refreshToken())).send());
        answers.put("POST /auth/logout", api.post("/auth/logout").json(Map.of("refreshToken", alice.cached().refreshToken())).send());
        answers.put("GET /me", api.get("/me").bearer(alice.cached().accessToken()).send());
        answers.put("GET /me (token not yet authorized)", api.get("/me").bearer(alice.fresh().accessToken()).send());
        answers.put("PATCH /me", api.patch("/me").bearer(alice.cached().accessToken()).json(Map.of("name", "Changed")).send());
        answers.put("DELETE /me", api.delete("/me").bearer(alice.cached().accessToken()).send());
        answers.put("GET /me/sessions", api.get("/me/sessions").bearer(alice.cached().accessToken()).send());
        answers.put("GET /users", api.get("/users?limit=1").bearer(admin).send());
        answers.put("POST /users", api.post("/users").bearer(admin).json(Map.of("email", newByAdmin)).send());
        answers.put("PUT /users/{id}/roles", api.put("/users/" + bob.id() + "/roles").bearer(admin).json(Map.of("roles", List.of("admin"))).send());
        answers.put("POST /users/{id}/disable", api.post("/users/" + bob.id() + "/disable").bearer(admin).send());
        answers.put("DELETE /users/{id}", api.delete("/users/" + bob.id()).bearer(admin).send());
        faults.dynamoDb().pass();

        answers.forEach((route, response) -> assertNoServerError(route, response));
        assertThat(answers.get("GET /health").status()).isEqualTo(200);
        assertThat(answers.get("POST /auth/sign-up").status()).as("sign-up needs Cognito only").isEqualTo(202);
        // confirming is attempt-limited (docs/SECURITY.md item 29): without the counters in DynamoDB it fails
        // closed (503) before Cognito sees the code. (A post-confirmation trigger failing while Cognito confirms
        // is answered 503 too: unit test PublicRoutesTest.d25_triggerFailureReportedByCognito_is503_neverA500.)
        List<String> needDynamoDb = answers.keySet().stream()
                .filter(route -> !List.of("GET /health", "POST /auth/sign-up").contains(route)).toList();
        needDynamoDb.forEach(route -> assertUnavailable(route, answers.get(route)));

        // nothing half-written: alice and bob exactly as before, in DynamoDB and in Cognito
        JsonNode aliceAfter = profile(alice.id());
        assertThat(aliceAfter.path("version").asLong()).isEqualTo(aliceBefore.path("version").asLong());
        assertThat(aliceAfter.path("name").isMissingNode()).isTrue();
        assertThat(cognitoUser(alice.id())).isPresent();
        assertThat(profile(bob.id()).path("roles").toString()).isEqualTo("[\"user\"]");
        assertThat(profile(bob.id()).path("status").asText()).isEqualTo("ENABLED");
        assertThat(cognitoUser(bob.id()).orElseThrow().enabled()).isTrue();
        assertThat(api.get("/me").bearer(alice.cached().accessToken()).send().json().path("version").asLong())
                .isEqualTo(aliceBefore.path("version").asLong());
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", alice.cached().refreshToken())).send().status())
                .as("the logout that failed ended nothing").isEqualTo(200);

        // the account Cognito created before the profile write failed: repeating the request completes it
        ApiResponse repeated = api.post("/users").bearer(admin).json(Map.of("email", newByAdmin)).send();
        assertThat(repeated.status()).as(repeated.toString()).isEqualTo(201);
        assertThat(api.get("/users?email=" + newByAdmin).bearer(admin).send().json().path("items")).hasSize(1);

        // the confirmation refused during the outage: repeated, the account works
        assertThat(api.post("/auth/confirm").json(Map.of("email", unconfirmed.email(), "code", confirmCode, "password", unconfirmed.password())).send().status()).isEqualTo(200);
        Tokens healed = unconfirmed.login(api);
        assertThat(api.get("/me").bearer(healed.accessToken()).send().json().path("email").asText()).isEqualTo(unconfirmed.email());

        // the sign-up acknowledged during the outage is real
        String code = new OutboxClient(api).confirmationCode(signedUpDuringOutage);
        assertThat(api.post("/auth/confirm").json(Map.of("email", signedUpDuringOutage, "code", code, "password", TestUsers.PASSWORD)).send().status()).isEqualTo(200);
    }

    @Test
    void d25_dynamoDbAnswering500_orThrottling_is503_or429WithRetryAfter() {
        Member carol = member("d25-ddb500");
        JsonNode before = profile(carol.id());

        faults.dynamoDb().answer(Answer.awsError(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error"));
        ApiResponse read = api.get("/me").bearer(carol.cached().accessToken()).send();
        ApiResponse write = api.patch("/me").bearer(carol.cached().accessToken()).json(Map.of("name", "Carol")).send();
        ApiResponse fresh = api.get("/me").bearer(carol.fresh().accessToken()).send();
        faults.dynamoDb().answer(Answer.awsError(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded."));
        ApiResponse throttled = api.patch("/me").bearer(carol.cached().accessToken()).json(Map.of("name", "Carol")).send();
        faults.dynamoDb().pass();

        assertUnavailable("GET /me", read);
        assertUnavailable("PATCH /me", write);
        assertUnavailable("GET /me (token not yet authorized)", fresh);
        assertThat(throttled.status()).as(throttled.toString()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).contains("1");
        assertProblem("PATCH /me (throttled)", throttled, "TooManyRequests");
        assertThat(profile(carol.id()).path("version").asLong()).isEqualTo(before.path("version").asLong());
    }

    @Test
    void d25_dynamoDbHanging_is503_withinTheSdkTimeouts() {
        Member dave = member("d25-ddb-hang");
        faults.dynamoDb().hang();
        long started = System.nanoTime();
        ApiResponse response = api.get("/me").bearer(dave.cached().accessToken()).send();
        long millis = (System.nanoTime() - started) / 1_000_000;
        faults.dynamoDb().pass();

        assertUnavailable("GET /me", response);
        assertThat(millis).as("the SDK gives up after its 6 s call timeout, inside the function's 10 s").isBetween(2_500L, 9_000L);
    }

    // ------------------------------------------------------------------------------------------ Cognito

    @Test
    void d25_cognitoStopped_authRoutesAnswer503_profileRoutesKeepWorking_andNothingIsHalfWritten() {
        Member erin = member("d25-cog-erin");
        Member frank = member("d25-cog-frank");
        String newByAdmin = TestUsers.uniqueEmail("d25-cog-created");
        String signUp = TestUsers.uniqueEmail("d25-cog-signup");

        faults.cognito().refuse();
        Map<String, ApiResponse> unavailable = new LinkedHashMap<>();
        unavailable.put("POST /auth/sign-up", signUp(signUp));
        unavailable.put("POST /auth/login", login(erin.user()));
        unavailable.put("POST /auth/forgot-password", api.post("/auth/forgot-password").json(Map.of("email", erin.user().email())).send());
        unavailable.put("POST /auth/confirm", api.post("/auth/confirm").json(Map.of("email", signUp, "code", "123456", "password", TestUsers.PASSWORD)).send());
        unavailable.put("POST /auth/refresh", api.post("/auth/refresh").json(Map.of("refreshToken", erin.cached().refreshToken())).send());
        unavailable.put("POST /me/password", api.post("/me/password").bearer(erin.cached().accessToken())
                .json(Map.of("currentPassword", erin.user().password(), "newPassword", erin.user().password() + "x")).send());
        unavailable.put("POST /me/mfa/totp", api.post("/me/mfa/totp").bearer(erin.cached().accessToken()).send());
        unavailable.put("DELETE /me", api.delete("/me").bearer(erin.cached().accessToken()).send());
        unavailable.put("POST /users", api.post("/users").bearer(admin).json(Map.of("email", newByAdmin)).send());
        unavailable.put("POST /users/{id}/disable", api.post("/users/" + frank.id() + "/disable").bearer(admin).send());
        Map<String, ApiResponse> working = new LinkedHashMap<>();
        working.put("GET /health", api.get("/health").send());
        working.put("GET /me", api.get("/me").bearer(erin.cached().accessToken()).send());
        working.put("GET /me (token not yet authorized)", api.get("/me").bearer(erin.fresh().accessToken()).send());
        working.put("PATCH /me", api.patch("/me").bearer(erin.cached().accessToken()).json(Map.of("name", "Erin")).send());
        working.put("GET /users", api.get("/users?limit=1").bearer(admin).send());
        working.put("GET /users/{id}", api.get("/users/" + frank.id()).bearer(admin).send());
        faults.cognito().pass();

        unavailable.forEach(DependencyFaultsIT::assertUnavailable);
        working.forEach((route, response) -> {
            assertNoServerError(route, response);
            assertThat(response.status()).as(route + " needs no Cognito: " + response).isEqualTo(200);
        });

        // the acknowledged write is there; nothing else changed
        assertThat(profile(erin.id()).path("name").asText()).isEqualTo("Erin");
        assertThat(cognitoUser(erin.id())).as("DELETE /me failed before anything was deleted").isPresent();
        assertThat(profile(erin.id()).path("status").asText()).isEqualTo("ENABLED");
        assertThat(login(erin.user()).status()).as("the password did not change").isEqualTo(200);
        assertThat(api.get("/users?email=" + newByAdmin).bearer(admin).send().json().path("items")).isEmpty();
        assertThat(cognitoUserByEmail(newByAdmin)).isEmpty();

        // disable: DynamoDB (the source of truth) was written first, so the account is already refused;
        // repeating the request completes the Cognito side
        assertThat(profile(frank.id()).path("status").asText()).isEqualTo("DISABLED");
        assertThat(api.get("/me").bearer(frank.fresh().accessToken()).send().status()).isEqualTo(401);
        assertThat(login(frank.user()).status()).isEqualTo(401);
        ApiResponse repeated = api.post("/users/" + frank.id() + "/disable").bearer(admin).send();
        assertThat(repeated.status()).as(repeated.toString()).isEqualTo(204);
        assertThat(cognitoUser(frank.id()).orElseThrow().enabled()).isFalse();
    }

    @Test
    void d25_cognitoAnswering500_is503_andRoleChangesConvergeOnceItIsBack() {
        Member grace = member("d25-cog500");
        faults.cognito().answer(Answer.awsError(500, "InternalErrorException", "Internal error"));
        ApiResponse login = login(grace.user());
        ApiResponse signUp = signUp(TestUsers.uniqueEmail("d25-cog500-signup"));
        ApiResponse delete = api.delete("/me").bearer(grace.cached().accessToken()).send();
        ApiResponse roles = api.put("/users/" + grace.id() + "/roles").bearer(admin).json(Map.of("roles", List.of("admin"))).send();
        faults.cognito().pass();

        assertUnavailable("POST /auth/login", login);
        assertUnavailable("POST /auth/sign-up", signUp);
        assertUnavailable("DELETE /me", delete);
        assertThat(cognitoUser(grace.id())).isPresent();

        // the role change is acknowledged from DynamoDB (the source of truth; the authorizer reads it) ...
        assertThat(roles.status()).as(roles.toString()).isEqualTo(200);
        assertThat(profile(grace.id()).path("roles").toString()).isEqualTo("[\"admin\",\"user\"]");
        assertThat(groups(grace.id())).as("the mirror could not run").containsExactly("user");
        // ... and the next write mirrors it: the groups converge
        ApiResponse again = api.put("/users/" + grace.id() + "/roles").bearer(admin).json(Map.of("roles", List.of("admin"))).send();
        assertThat(again.status()).isEqualTo(200);
        assertThat(groups(grace.id())).containsExactlyInAnyOrder("admin", "user");
        api.put("/users/" + grace.id() + "/roles").bearer(admin).json(Map.of("roles", List.of("user"))).send();
    }

    // ------------------------------------------------------------------------------------------

    private static ApiResponse signUp(String email) {
        return api.post("/auth/sign-up").json(Map.of("email", email, "password", TestUsers.PASSWORD)).send();
    }

    private static ApiResponse login(TestUser user) {
        return api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send();
    }

    private static JsonNode profile(String id) {
        Map<String, AttributeValue> item = FaultStack.dynamoDb().getItem(r -> r.tableName(FaultStack.table()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("USER#" + id), "sk", AttributeValue.fromS("PROFILE")))).item();
        var node = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
        item.forEach((k, v) -> {
            if (v.s() != null) {
                node.put(k, v.s());
            } else if (v.n() != null) {
                node.put(k, Long.parseLong(v.n()));
            } else if (v.hasL()) {
                var array = node.putArray(k);
                v.l().stream().map(AttributeValue::s).sorted().forEach(array::add);
            }
        });
        return node;
    }

    private static Optional<AdminGetUserResponse> cognitoUser(String username) {
        try {
            return Optional.of(FaultStack.cognito().adminGetUser(r -> r.userPoolId(FaultStack.pool()).username(username)));
        } catch (UserNotFoundException e) {
            return Optional.empty();
        }
    }

    private static Optional<AdminGetUserResponse> cognitoUserByEmail(String email) {
        return cognitoUser(email);
    }

    private static List<String> groups(String id) {
        return FaultStack.cognito().adminListGroupsForUser(r -> r.userPoolId(FaultStack.pool()).username(id)).groups().stream()
                .map(GroupType::groupName).sorted().toList();
    }

    static void assertNoServerError(String route, ApiResponse response) {
        assertThat(response.status()).as(route + ": " + response).isNotIn(500, 501, 502, 504);
        if (response.status() >= 400) {
            assertThat(response.contentType()).as(route + ": " + response).startsWith("application/problem+json");
            assertThat(response.body()).as(route).doesNotContain("Exception").doesNotContain("software.amazon")
                    .doesNotContain("Status Code:").doesNotContain("Request ID").doesNotContain("\tat ");
        }
    }

    static void assertUnavailable(String route, ApiResponse response) {
        assertNoServerError(route, response);
        assertThat(response.status()).as(route + ": " + response).isEqualTo(503);
        assertProblem(route, response, "ServiceUnavailable");
    }

    static void assertProblem(String route, ApiResponse response, String code) {
        assertThat(response.contentType()).as(route + ": " + response).startsWith("application/problem+json");
        assertThat(response.json().path("code").asText()).as(route + ": " + response).isEqualTo(code);
        assertThat(response.json().path("status").asInt()).isEqualTo(response.status());
    }
}
