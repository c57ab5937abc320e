package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.local.testing.ApiClient;
import dev.userapi.local.testing.ApiResponse;
import dev.userapi.local.testing.ForgedTokens;
import dev.userapi.local.testing.TestStack;
import dev.userapi.local.testing.TestUsers;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Protected routes through the TOKEN authorizer: every bad token is a 401 problem that carries the
 * CORS header (gateway responses from the template), never a 500 or a 200.
 */
class AuthorizerIT {
    private static final String ORIGIN = "http://localhost:3000";

    private final ApiClient api = TestStack.api();

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
    void tokenSignedWithAnotherKey_underCognitoLocalsKid_returns401() {
        long now = Instant.now().getEpochSecond();
        String forged = ForgedTokens.sign("CognitoLocal", ForgedTokens.accessClaims(UUID.randomUUID().toString(), now, now + 600));

        ApiResponse response = api.get("/me").origin(ORIGIN).bearer(forged).send();

        assertRefusedByAuthorizer(response);
    }

    @Test
    void expiredToken_returns401() {
        long now = Instant.now().getEpochSecond();
        String expired = ForgedTokens.sign("CognitoLocal", ForgedTokens.accessClaims(UUID.randomUUID().toString(), now - 7200, now - 3600));

        ApiResponse response = api.get("/me").origin(ORIGIN).bearer(expired).send();

        assertRefusedByAuthorizer(response);
    }

    @Test
    void idTokenInsteadOfAccessToken_returns401() {
        String idToken = TestUsers.confirmed("idtoken").login().idToken();

        ApiResponse response = api.get("/me").origin(ORIGIN).bearer(idToken).send();

        assertRefusedByAuthorizer(response);
    }

    private static java.util.Map<String, Object> with(java.util.Map<String, Object> claims, String name, Object value) {
        java.util.Map<String, Object> copy = new java.util.HashMap<>(claims);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return copy;
    }

    @Test
    void a6_tokensSignedByThePoolKey_areAcceptedOnlyWithTheRightClientIssuerAndUse() {
        String sub = dev.userapi.local.testing.Jwt.claims(TestUsers.confirmed("poolsigned").login().accessToken()).path("sub").asText();
        long now = Instant.now().getEpochSecond();
        var claims = ForgedTokens.accessClaims(sub, now, now + 600);

        // the control: the pool's key and the right claims pass, so the refusals below are claim checks
        ApiResponse valid = api.get("/me").bearer(ForgedTokens.signAsLocalPool(claims)).origin(ORIGIN).send();
        assertThat(valid.status()).as(valid.toString()).isEqualTo(200);

        assertRefusedByAuthorizer(api.get("/me").bearer(ForgedTokens.signAsLocalPool(with(claims, "client_id", "another-client"))).origin(ORIGIN).send());
        assertRefusedByAuthorizer(api.get("/me").bearer(ForgedTokens.signAsLocalPool(with(claims, "iss", TestStack.get().issuer() + "/"))).origin(ORIGIN).send());
        assertRefusedByAuthorizer(api.get("/me").bearer(ForgedTokens.signAsLocalPool(with(claims, "token_use", "id"))).origin(ORIGIN).send());
        assertRefusedByAuthorizer(api.get("/me").bearer(ForgedTokens.signAsLocalPool(with(claims, "exp", null))).origin(ORIGIN).send());
        assertRefusedByAuthorizer(api.get("/me").bearer(ForgedTokens.signAsLocalPool(with(claims, "exp", now - 120))).origin(ORIGIN).send());
        assertRefusedByAuthorizer(api.get("/me").bearer(ForgedTokens.signAsLocalPool(with(claims, "iat", now + 3600))).origin(ORIGIN).send());
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
        assertThat(response.header("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(response.header("WWW-Authenticate")).contains("Bearer");
    }
}
