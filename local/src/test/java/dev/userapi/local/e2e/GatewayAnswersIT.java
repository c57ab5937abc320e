package dev.userapi.local.e2e;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.local.testing.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.local.testing.RawHttp;
import dev.userapi.local.testing.TestStack;
import dev.userapi.local.testing.TestUsers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * What API Gateway answers by itself (issue 16 findings 8 and 11, issue 15's gateway fidelity): the
 * answers never reflect the request's Origin and are never cached or sniffed; {@code Authorization}
 * is judged by the template's ValidationExpression (the scheme in any case); requests a JDK server
 * would refuse with an HTML page ({@code //users}, {@code /users/%zz}, unknown or lower-case methods)
 * get API Gateway's answer for a resource that does not exist; a blank or malformed user id is a 404
 * like an unknown one.
 */
class GatewayAnswersIT {
    /** The stack's single allowed origin (the template's default AllowedOrigins). */
    private static final String ALLOWED = "http://localhost:3000";
    private final ApiClient api = TestStack.api();

    private static void assertGatewayHeaders(ApiResponse response) {
        assertThat(response.header("Access-Control-Allow-Origin")).as(response.toString()).contains(ALLOWED);
        assertThat(response.header("Cache-Control")).as(response.toString()).contains("no-store");
        assertThat(response.header("X-Content-Type-Options")).as(response.toString()).contains("nosniff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "null", ALLOWED})
    void s33_finding8_gatewayAnswers_neverReflectTheOrigin_andAreNoStoreNosniff(String origin) {
        String userToken = TestUsers.confirmed("gw-answers").login().accessToken();
        List<ApiResponse> answers = List.of(
                api.get("/me").origin(origin).send(),                                        // 401 UNAUTHORIZED
                api.get("/me").bearer("not-a-jwt").origin(origin).send(),                    // 401 from the authorizer
                api.get("/users").bearer(userToken).origin(origin).send(),                   // 403 ACCESS_DENIED
                api.get("/no/such/route").origin(origin).send());                            // 404 MISSING_AUTHENTICATION_TOKEN
        assertThat(answers).extracting(ApiResponse::status).containsExactly(401, 401, 403, 404);
        answers.forEach(GatewayAnswersIT::assertGatewayHeaders);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "bearer ", "BEARER ", "bEaReR ", "Bearer   "})
    void finding11_theBearerScheme_isCaseInsensitive_andMaySpanSeveralSpaces(String scheme) {
        String token = TestUsers.confirmed("gw-scheme").login().accessToken();
        ApiResponse me = api.get("/me").header("Authorization", scheme + token).send();
        assertThat(me.status()).as(scheme + ": " + me).isEqualTo(200);
    }

    @Test
    void finding11_anythingElse_isRefusedByTheValidationExpression_beforeTheAuthorizerRuns() {
        String token = TestUsers.confirmed("gw-scheme-bad").login().accessToken();
        for (String value : new String[] {"Basic " + token, "Bearer" + token, "Bearer\t" + token, "Token " + token, token,
                "Bearer " + token + " extra"}) {
            ApiResponse me = RawHttp.send(api.baseUrl(), "GET", "/me", Map.of("Authorization", value, "Connection", "close"));
            assertProblem(me, 401, "Unauthorized");
            assertThat(me.header("x-amzn-ErrorType")).as(value).contains("UnauthorizedException");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users/%20", "/users/%20%20", "/users/not-a-user-id", "/users/%2F", "/users/%20/roles"})
    void finding11_aBlankOrMalformedUserId_isNotFound_likeAnUnknownOne(String path) {
        String admin = Admins.token();
        ApiResponse response = path.endsWith("/roles")
                ? api.put(path).bearer(admin).json(Map.of("roles", List.of("user"))).send()
                : api.get(path).bearer(admin).send();
        assertProblem(response, 404, "NotFound");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET //users", "GET //me", "GET /users/%zz", "GET /me/%", "GET /users/%2", "FOO /me", "get /me",
            "DELETE /health", "GET *"})
    void issue15_requestsNoResourceCanServe_getApiGatewaysAnswer_neverAnHtmlPage(String requestLine) {
        String[] parts = requestLine.split(" ");
        ApiResponse response = RawHttp.send(api.baseUrl(), parts[0], parts[1], Map.of("Origin", "https://evil.example",
                "Connection", "close"));
        // MISSING_AUTHENTICATION_TOKEN ("a method or resource that does not exist"), customised in the template to 404
        assertProblem(response, 404, "NotFound");
        assertThat(response.header("x-amzn-ErrorType")).contains("MissingAuthenticationTokenException");
        assertThat(response.json().path("requestId").asText()).isEqualTo(response.header("x-amzn-RequestId").orElseThrow());
        assertGatewayHeaders(response);
    }

    @Test
    void issue15_aKeptAliveConnection_carriesWellAndBadlyFormedRequests_inOrder() {
        String token = TestUsers.confirmed("gw-keepalive").login().accessToken();
        try (RawHttp connection = RawHttp.connect(api.baseUrl())) {
            ApiResponse first = connection.request("GET", "/users/%zz", Map.of(), null);
            ApiResponse second = connection.request("PATCH", "/me", Map.of("Authorization", "Bearer " + token,
                    "Content-Type", "application/json"), "{\"name\":\"Kept Alive\"}");
            ApiResponse third = connection.request("GET", "//users", Map.of(), null);
            ApiResponse fourth = connection.request("GET", "/me?x=%zz", Map.of("Authorization", "Bearer " + token), null);

            assertProblem(first, 404, "NotFound");
            assertThat(second.status()).as(second.toString()).isEqualTo(200);
            assertThat(second.json().path("name").asText()).isEqualTo("Kept Alive");
            assertProblem(third, 404, "NotFound");
            assertThat(fourth.status()).as(fourth.toString()).isEqualTo(200);
        }
    }
}
