package dev.userapi.e2e.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.ForgedTokens;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUsers;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Protected routes through the TOKEN authorizer: every bad token is a 401 problem that carries the
 * CORS header (gateway responses from the template), never a 500 or a 200.
 */
class AuthorizerIT {
    private static final String ORIGIN = Target.get().origin();

    private final ApiClient api = Target.get().api();
    private static String realToken;

    /** An access token the stack issued: the forged tokens copy its kid, issuer, client and scope. */
    private static synchronized String realToken() {
        if (realToken == null) {
            realToken = TestUsers.confirmed("authorizer-model").login().accessToken();
        }
        return realToken;
    }

    @Test
    void noToken_returns401_withoutCallingTheAuthorizer() {
        ApiResponse response = api.get("/me").origin(ORIGIN).send();

        assertUnauthorizedProblem(response);
    }

    @Test
    void tokenNotMatchingTheValidationExpression_returns401() {
        ApiResponse response = api.get("/me").origin(ORIGIN).header("Authorization", "Basic dXNlcjpwYXNz").send();

        assertUnauthorizedProblem(response);
    }

    @Test
    void garbageBearerToken_returns401() {
        ApiResponse response = api.get("/me").origin(ORIGIN).bearer("not.a.jwt").send();

        assertRefusedByAuthorizer(response);
    }

    @Test
    void tokenSignedWithAnotherKey_underThePoolsKid_returns401() {
        long now = Instant.now().getEpochSecond();
        String forged = ForgedTokens.sign(ForgedTokens.kidOf(realToken()),
                ForgedTokens.accessClaims(realToken(), UUID.randomUUID().toString(), now, now + 600));

        ApiResponse response = api.get("/me").origin(ORIGIN).bearer(forged).send();

        assertRefusedByAuthorizer(response);
    }

    @Test
    void expiredToken_returns401() {
        long now = Instant.now().getEpochSecond();
        String expired = ForgedTokens.sign(ForgedTokens.kidOf(realToken()),
                ForgedTokens.accessClaims(realToken(), UUID.randomUUID().toString(), now - 7200, now - 3600));

        ApiResponse response = api.get("/me").origin(ORIGIN).bearer(expired).send();

        assertRefusedByAuthorizer(response);
    }

    @Test
    void idTokenInsteadOfAccessToken_returns401() {
        String idToken = TestUsers.confirmed("idtoken").login().idToken();

        ApiResponse response = api.get("/me").origin(ORIGIN).bearer(idToken).send();

        assertRefusedByAuthorizer(response);
    }

    @Test
    void tamperedRealToken_returns401() {
        String token = TestUsers.confirmed("tampered").login().accessToken();
        String[] parts = token.split("\\.");
        var decoder = java.util.Base64.getUrlDecoder();
        var encoder = java.util.Base64.getUrlEncoder().withoutPadding();
        String payload = new String(decoder.decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("\"sub\":\"[^\"]+\"", "\"sub\":\"" + UUID.randomUUID() + "\"");
        String tampered = parts[0] + "." + encoder.encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(api.get("/me").bearer(token).origin(ORIGIN).send().status()).isEqualTo(200);
        assertRefusedByAuthorizer(api.get("/me").bearer(tampered).origin(ORIGIN).send());
    }

    /** A token that reaches the authorizer and is refused by it. */
    private static void assertRefusedByAuthorizer(ApiResponse response) {
        assertUnauthorizedProblem(response);
    }

    private static void assertUnauthorizedProblem(ApiResponse response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("code").asText()).isEqualTo("Unauthorized");
        assertThat(response.json().path("requestId").asText()).isNotBlank();
        assertThat(response.header("Access-Control-Allow-Origin")).contains(Target.get().gatewayAllowOrigin());
        assertThat(response.header("WWW-Authenticate")).contains("Bearer");
    }
}
