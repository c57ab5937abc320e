package dev.userapi.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.TooManyRequestsException;
import dev.userapi.core.testing.ApiEvents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiHandlerTest {
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @AfterEach
    void restoreLog() {
        dev.userapi.core.log.Log.redirect(null);
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
    void domainExceptions_becomeProblemJson() {
        var response = handler(r -> {
            throw new ConflictException("This would remove the last administrator.");
        }).handleRequest(ApiEvents.post("/x", "{}"), null);

        assertThat(response.getStatusCode()).isEqualTo(409);
        assertThat(ApiEvents.header(response, "Content-Type")).isEqualTo("application/problem+json");
        var body = ApiEvents.body(response);
        assertThat(body.get("code").asText()).isEqualTo("Conflict");
        assertThat(body.get("status").asInt()).isEqualTo(409);
        assertThat(body.get("type").asText()).isEqualTo("https://userapi.dev/problems/conflict");
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("detail").asText()).isEqualTo("This would remove the last administrator.");
        assertThat(body.get("requestId").asText()).isEqualTo("req-1");
    }

    @Test
    void tooManyRequests_carriesRetryAfter() {
        var response = handler(r -> {
            throw new TooManyRequestsException(30, null);
        }).handleRequest(ApiEvents.post("/x", "{}"), null);
        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(ApiEvents.header(response, "Retry-After")).isEqualTo("30");
    }

    @Test
    void unexpectedFailures_are500WithoutDetailsInTheBodyButLogged() {
        dev.userapi.core.log.Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
        var response = handler(r -> {
            throw new IllegalStateException("secret internal state: password=hunter2");
        }).handleRequest(ApiEvents.post("/x", "{}"), null);

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getBody()).doesNotContain("hunter2").doesNotContain("IllegalStateException").doesNotContain("at dev.");
        assertThat(ApiEvents.body(response).get("code").asText()).isEqualTo("InternalError");
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("IllegalStateException");
    }

    @Test
    void everyAnswer_carriesCorsForAllowedOriginsAndNoStore() {
        var ok = handler(r -> ApiResponse.ok(java.util.Map.of("a", 1))).handleRequest(ApiEvents.post("/x", "{}"), null);
        assertThat(ApiEvents.header(ok, "Access-Control-Allow-Origin")).isEqualTo(ApiEvents.ORIGIN);
        assertThat(ApiEvents.header(ok, "Vary")).isEqualTo("Origin");
        assertThat(ApiEvents.header(ok, "Cache-Control")).isEqualTo("no-store");
        assertThat(ApiEvents.header(ok, "X-Content-Type-Options")).isEqualTo("nosniff");

        var foreign = ApiEvents.post("/x", "{}");
        foreign.getHeaders().put("Origin", "https://evil.example");
        var refused = handler(r -> ApiResponse.ok(java.util.Map.of())).handleRequest(foreign, null);
        assertThat(ApiEvents.header(refused, "Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void errorAnswers_carryCorsToo() {
        var response = handler(r -> {
            r.body().allowOnly();
            return ApiResponse.noContent();
        }).handleRequest(ApiEvents.post("/x", "not json"), null);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(ApiEvents.header(response, "Access-Control-Allow-Origin")).isEqualTo(ApiEvents.ORIGIN);
    }

    @Test
    void protectedRoutesWithoutAuthorizerContext_areRefused() {
        var response = handler(r -> ApiResponse.ok(r.caller())).handleRequest(ApiEvents.request("GET", "/me", null), null);
        assertThat(response.getStatusCode()).isEqualTo(401);
    }

    @Test
    void adminOnlyRoutes_checkTheRoleThemselves() {
        var event = ApiEvents.signedIn(ApiEvents.request("GET", "/users", null), "sub-1", "user");
        var response = handler(r -> ApiResponse.ok(r.admin().sub())).handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(403);

        var admin = ApiEvents.signedIn(ApiEvents.request("GET", "/users", null), "sub-2", "admin,user");
        assertThat(handler(r -> ApiResponse.ok(java.util.Map.of("sub", r.admin().sub()))).handleRequest(admin, null).getStatusCode()).isEqualTo(200);
    }

    @Test
    void sourceIp_comesFromRequestContextNeverForwardedFor() {
        var event = ApiEvents.post("/x", "{}");
        event.getHeaders().put("X-Forwarded-For", "1.2.3.4");
        assertThat(new ApiRequest(event).sourceIp()).isEqualTo("203.0.113.7");
    }

    @Test
    void prime_runsTheWholeInvocationOnASyntheticSignedInRequest_underThePrimingGuard_andNeverThrows() {
        List<String> seen = new java.util.ArrayList<>();
        ApiHandler handler = new ApiHandler(new Cors(List.of(ApiEvents.ORIGIN))) {
            @Override
            protected ApiResponse handle(ApiRequest request) {
                seen.add(request.caller().sub() + " " + request.bearerToken() + " " + request.pathParameter("id") + " "
                        + request.body().requiredString("name", 10) + " " + dev.userapi.core.snapstart.Priming.active());
                throw new IllegalStateException("a failure inside priming is logged, not thrown");
            }

            @Override
            protected String primingBody() {
                return "{\"name\":\"x\"}";
            }
        };

        handler.beforeCheckpoint(null);

        assertThat(dev.userapi.core.snapstart.RuntimeEvents.runtimeSerializationAvailable())
                .as("the event went through the runtime's serialisation, as on Lambda").isTrue();
        assertThat(seen).containsExactly("snapstart-priming snapstart-priming snapstart-priming x true");
        assertThat(dev.userapi.core.snapstart.Priming.active()).isFalse();
    }

    @Test
    void primingEvent_isAnApiGatewayEventWithACallerThatDoesNotExist() {
        var event = dev.userapi.core.snapstart.RuntimeEvents.fromJson(
                com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.class, ApiHandler.primingEvent(null));
        var request = new ApiRequest(event);

        assertThat(request.caller().sub()).isEqualTo(ApiHandler.PRIMING_ID);
        assertThat(request.caller().isAdmin()).isFalse();
        assertThat(request.requestId()).isEqualTo(ApiHandler.PRIMING_ID);
        assertThat(event.getBody()).isNull();
        assertThat(request.pathParameter("orgId")).isEqualTo(ApiHandler.PRIMING_ID);
    }
}
