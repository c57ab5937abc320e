package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userapi.local.testing.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.Jwt;
import dev.userapi.local.testing.StackClients;
import dev.userapi.local.testing.TestStack;
import dev.userapi.local.testing.TestUser;
import dev.userapi.local.testing.TestUsers;
import dev.userapi.e2e.client.Tokens;
import dev.userapi.triggers.PreTokenGenerationHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The Cognito triggers, invoked by cognito-local through the Lambda Invoke API, against DynamoDB Local. */
class TriggersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiClient api = TestStack.api();

    private static List<Map<String, AttributeValue>> itemsOf(String id) {
        return StackClients.dynamoDb().query(r -> r.tableName(StackClients.table()).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("USER#" + id)))).items();
    }

    private static HttpResponse<String> invoke(String function, String payload) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestStack.get().lambdaEndpoint()
                        + "/2015-03-31/functions/" + function + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String postConfirmation(String source, String sub, String email) {
        return """
                {"version":"1","region":"us-east-1","userPoolId":"%s","userName":"%s","triggerSource":"%s",
                 "callerContext":{"awsSdkVersion":"test","clientId":"%s"},
                 "request":{"userAttributes":{"sub":"%s","email":"%s","email_verified":"true"}},"response":{}}
                """.formatted(StackClients.pool(), sub, source, TestStack.get().userPoolClientId(), sub, email);
    }

    @Test
    void signUpAndConfirm_createTheProfile_andLoginTokensCarryTheRolesInDynamoDb() {
        TestUser user = TestUsers.confirmed("trigger");
        Tokens tokens = user.login();
        String id = Jwt.claims(tokens.accessToken()).path("sub").asText();

        var profile = itemsOf(id).stream().filter(i -> i.get("sk").s().equals("PROFILE")).findFirst().orElseThrow();
        assertThat(profile.get("email").s()).isEqualTo(user.email());
        assertThat(profile.get("roles").l()).extracting(AttributeValue::s).containsExactly("user");

        assertThat(Jwt.claims(tokens.idToken()).path("roles").asText()).isEqualTo("user");
        assertThat(Jwt.claims(tokens.accessToken()).path("cognito:groups").toString()).isEqualTo("[\"user\"]");
    }

    @Test
    void d21_twentyParallelPostConfirmations_createExactlyOneProfile_andForgotPasswordLeavesRolesAlone() throws Exception {
        String sub = UUID.randomUUID().toString();
        String email = TestUsers.uniqueEmail("parallel");
        String event = postConfirmation("PostConfirmation_ConfirmSignUp", sub, email);

        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(pool.submit(() -> invoke("PostConfirmationFunction", event)));
        }
        for (Future<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Amz-Function-Error")).isEmpty();
            assertThat(JSON.readTree(response.body()).path("request").path("userAttributes").path("sub").asText()).isEqualTo(sub);
        }
        pool.shutdown();

        List<Map<String, AttributeValue>> items = itemsOf(sub);
        assertThat(items.stream().filter(i -> i.get("sk").s().equals("PROFILE"))).hasSize(1);
        assertThat(items.stream().filter(i -> i.get("sk").s().startsWith("ROLE#"))).hasSize(1);
        long version = Long.parseLong(items.stream().filter(i -> i.get("sk").s().equals("PROFILE")).findFirst().orElseThrow()
                .get("version").n());
        assertThat(version).isEqualTo(1);

        // an admin makes the user an admin; a later forgot-password confirmation must not reset that
        ApiResponse promoted = api.put("/users/" + sub + "/roles").bearer(Admins.token()).json(Map.of("roles", List.of("admin"))).send();
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        HttpResponse<String> reset = invoke("PostConfirmationFunction", postConfirmation("PostConfirmation_ConfirmForgotPassword", sub, email));
        assertThat(reset.statusCode()).isEqualTo(200);
        var profile = itemsOf(sub).stream().filter(i -> i.get("sk").s().equals("PROFILE")).findFirst().orElseThrow();
        assertThat(profile.get("roles").l()).extracting(AttributeValue::s).containsExactly("admin", "user");
    }

    @Test
    void d22_preTokenGeneration_withDynamoDbUnreachable_issuesNoRolesAndDoesNotFail() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> env = Map.of("AWS_REGION", "us-east-1", "TABLE_NAME", StackClients.table(), "ROLES", "user,admin",
                "DYNAMODB_ENDPOINT", "http://127.0.0.1:" + closedPort, "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local");
        PreTokenGenerationHandler handler = new PreTokenGenerationHandler(env);
        String event = """
                {"version":"2","triggerSource":"TokenGeneration_Authentication","region":"us-east-1","userPoolId":"p","userName":"u",
                 "request":{"userAttributes":{"sub":"%s"},"groupConfiguration":{"groupsToOverride":["admin"]},"scopes":[]},"response":{}}
                """.formatted(UUID.randomUUID());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long started = System.nanoTime();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        long millis = (System.nanoTime() - started) / 1_000_000;

        JsonNode details = JSON.readTree(out.toString(StandardCharsets.UTF_8)).path("response").path("claimsAndScopeOverrideDetails");
        assertThat(details.path("groupOverrideDetails").path("groupsToOverride").toString()).isEqualTo("[]");
        assertThat(details.path("accessTokenGeneration").path("claimsToAddOrOverride").path("roles").asText()).isEmpty();
        assertThat(millis).as("gives up well inside Cognito's 5 s").isLessThan(5000);
    }
}
