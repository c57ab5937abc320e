package dev.userapi.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.json.Json;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.testing.ApiEvents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The function logs as JSON lines: the invocation's fields on every line, and each failure written once. */
class InvocationLogTest {
    private static final Log SERVICE = Log.of(InvocationLogTest.class);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        Log.redirect(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        Log.redirect(null);
    }

    private List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                try {
                    lines.add(Json.readTree(line));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }
        }
        out.reset();
        return lines;
    }

    private static Context context(String requestId) {
        Context context = mock(Context.class);
        when(context.getAwsRequestId()).thenReturn(requestId);
        when(context.getFunctionName()).thenReturn("user-api-dev-GetMeFunction-abc");
        return context;
    }

    private static ApiHandler handler(Function<ApiRequest, ApiResponse> body) {
        return new ApiHandler(new Cors(List.of(ApiEvents.ORIGIN))) {
            @Override
            protected ApiResponse handle(ApiRequest request) {
                return body.apply(request);
            }
        };
    }

    @Test
    void everyLineOfAnInvocation_carriesTheLambdaRequestIdFunctionNameAndColdStart() {
        ApiHandler handler = handler(r -> {
            SERVICE.info("service line", "userId", "u-1");
            return ApiResponse.ok(java.util.Map.of());
        });

        handler.handleRequest(ApiEvents.post("/x", "{}"), context("lambda-1"));
        List<JsonNode> first = lines();
        assertThat(first).hasSize(2);
        assertThat(first).allSatisfy(line -> {
            assertThat(line.get("functionRequestId").asText()).isEqualTo("lambda-1");
            assertThat(line.get("functionName").asText()).isEqualTo("user-api-dev-GetMeFunction-abc");
            assertThat(line.get("coldStart").asBoolean()).isTrue();
        });
        assertThat(first.get(0).get("message").asText()).isEqualTo("service line");
        assertThat(first.get(1).get("message").asText()).isEqualTo("request");
        assertThat(first.get(1).get("requestId").asText()).isEqualTo("req-1");
        assertThat(first.get(1).has("code")).isFalse();

        handler.handleRequest(ApiEvents.post("/x", "{}"), context("lambda-2"));
        assertThat(lines()).hasSize(2).allSatisfy(line -> {
            assertThat(line.get("functionRequestId").asText()).isEqualTo("lambda-2");
            assertThat(line.get("coldStart").asBoolean()).isFalse();
        });

        SERVICE.info("outside any invocation");
        JsonNode outside = lines().get(0);
        assertThat(outside.has("functionRequestId")).isFalse();
        assertThat(outside.has("coldStart")).isFalse();
    }

    @Test
    void anInvocationWithoutContext_doesNotUseUpTheColdStart() {
        ApiHandler handler = handler(r -> ApiResponse.noContent());
        handler.handleRequest(ApiEvents.post("/x", "{}"), null);
        assertThat(lines().get(0).get("coldStart").asBoolean()).isTrue();
        handler.handleRequest(ApiEvents.post("/x", "{}"), context("lambda-1"));
        assertThat(lines().get(0).get("coldStart").asBoolean()).isTrue();
        handler.handleRequest(ApiEvents.post("/x", "{}"), context("lambda-2"));
        assertThat(lines().get(0).get("coldStart").asBoolean()).isFalse();
    }

    @Test
    void nestedScopes_restoreTheOuterInvocation() {
        Invocations outer = new Invocations();
        Invocations inner = new Invocations();
        try (Log.Scope a = outer.enter(context("outer"))) {
            try (Log.Scope b = inner.enter(context("inner"))) {
                SERVICE.info("inner line");
            }
            SERVICE.info("outer line");
        }
        List<JsonNode> lines = lines();
        assertThat(lines.get(0).get("functionRequestId").asText()).isEqualTo("inner");
        assertThat(lines.get(1).get("functionRequestId").asText()).isEqualTo("outer");
    }

    @Test
    void aTranslatedDependencyFailure_isOneLineWithItsTypeOnly() {
        // DynamoErrors / CognitoErrors logged the SDK's message where they translated it: the frame does not repeat it
        var response = handler(r -> {
            throw new ServiceUnavailableException("The user store is unavailable; try again later.",
                    SdkClientException.create("connect timed out to dynamodb.eu-west-1.amazonaws.com"));
        }).handleRequest(ApiEvents.post("/x", "{}"), context("lambda-1"));

        assertThat(response.getStatusCode()).isEqualTo(503);
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("message").asText()).isEqualTo("request failed");
        assertThat(line.get("code").asText()).isEqualTo("ServiceUnavailable");
        assertThat(line.get("status").asInt()).isEqualTo(503);
        assertThat(line.get("causeType").asText()).isEqualTo(SdkClientException.class.getName());
        assertThat(line.toString()).doesNotContain("connect timed out");
    }

    @Test
    void anUntranslatedCause_isLoggedOnceWithTheRequest() {
        handler(r -> {
            throw new ServiceUnavailableException("The token endpoint is unreachable.", new java.io.IOException("Connection refused"));
        }).handleRequest(ApiEvents.post("/x", "{}"), context("lambda-1"));
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("errorType").asText()).isEqualTo("java.io.IOException");
        assertThat(lines.get(0).get("errorMessage").asText()).isEqualTo("Connection refused");
    }

    @Test
    void anUnexpectedFailure_isOneErrorLineWithItsStack() {
        handler(r -> {
            throw new IllegalStateException("bug");
        }).handleRequest(ApiEvents.post("/x", "{}"), context("lambda-1"));
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.get("level").asText()).isEqualTo("ERROR");
        assertThat(line.get("message").asText()).isEqualTo("unexpected failure");
        assertThat(line.get("code").asText()).isEqualTo("InternalError");
        assertThat(line.get("stackTrace").asText()).contains("InvocationLogTest");
        assertThat(line.get("functionRequestId").asText()).isEqualTo("lambda-1");
    }

    @Test
    void aRefusal_isOneInfoLine() {
        handler(r -> {
            throw new dev.userapi.core.problem.ConflictException("taken");
        }).handleRequest(ApiEvents.post("/x", "{}"), context("lambda-1"));
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("level").asText()).isEqualTo("INFO");
        assertThat(lines.get(0).get("code").asText()).isEqualTo("Conflict");
        assertThat(lines.get(0).get("status").asInt()).isEqualTo(409);
    }
}
