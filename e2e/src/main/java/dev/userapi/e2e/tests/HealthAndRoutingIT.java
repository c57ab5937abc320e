package dev.userapi.e2e.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import org.junit.jupiter.api.Test;

/** The gateway itself: a public route, an unknown route, an unknown method, the outbox. */
class HealthAndRoutingIT {
    private static final String ORIGIN = Target.get().origin();

    private final ApiClient api = Target.get().api();

    @Test
    void health_returns200Ok() {
        ApiResponse response = api.get("/health").send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("ok");
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.header("x-amzn-RequestId")).isPresent();
    }

    @Test
    void unknownRoute_returnsTemplatesMissingTokenResponse_withCorsHeader() {
        ApiResponse response = api.get("/no/such/route").origin(ORIGIN).send();

        // MISSING_AUTHENTICATION_TOKEN, customised in template.yaml to a 404 problem
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("code").asText()).isEqualTo("NotFound");
        assertThat(response.json().path("requestId").asText()).isEqualTo(response.header("x-amzn-RequestId").orElseThrow());
        assertThat(response.header("Access-Control-Allow-Origin")).contains(Target.get().gatewayAllowOrigin());
    }

    @Test
    void knownPathWithUndeclaredMethod_hasNoRoute() {
        ApiResponse response = api.delete("/health").send();

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("code").asText()).isEqualTo("NotFound");
    }

    @Test
    void outbox_withoutMessages_returnsEmptyList() {
        Requires.localGateway("the outbox route");
        ApiResponse response = api.get("/_local/outbox?email=nobody-here@example.com").send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("messages").isArray()).isTrue();
        assertThat(response.json().path("messages")).isEmpty();
    }
}
