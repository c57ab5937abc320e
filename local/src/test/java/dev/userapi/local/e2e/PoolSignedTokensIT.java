package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.local.testing.ForgedTokens;
import dev.userapi.local.testing.TestStack;
import dev.userapi.local.testing.TestUsers;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The authorizer's claim checks, proven with tokens signed by cognito-local's own key (it ships in the
 * npm package, so only a local stack can be forged this way): a correct signature, so each refusal is
 * a claim check. Every other authorizer test is client-observable and lives in the end-to-end suite
 * ({@code e2e/}: {@code dev.userapi.e2e.tests.AuthorizerIT}).
 */
class PoolSignedTokensIT {
    private static final String ORIGIN = "http://localhost:3000";

    private final ApiClient api = TestStack.api();

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
        String sub = dev.userapi.e2e.client.Jwt.claims(TestUsers.confirmed("poolsigned").login().accessToken()).path("sub").asText();
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
