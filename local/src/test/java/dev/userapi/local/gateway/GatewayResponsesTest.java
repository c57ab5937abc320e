package dev.userapi.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.local.template.GatewayResponseDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayResponsesTest {
    private static final GatewayResponseDefinition UNAUTHORIZED = new GatewayResponseDefinition(Optional.of(401),
            Map.of("Access-Control-Allow-Origin", "method.request.header.Origin", "WWW-Authenticate", "'Bearer'"),
            Map.of("application/json", "{\"code\":\"Unauthorized\",\"requestId\":\"$context.requestId\"}"));
    private static final GatewayResponseDefinition DEFAULT_4XX = new GatewayResponseDefinition(Optional.empty(), Map.of(),
            Map.of("application/json", "{\"message\":$context.error.messageString,\"type\":\"$context.error.responseType\",\"x\":\"$context.nope\"}"));

    private final GatewayResponses responses = new GatewayResponses(Map.of("UNAUTHORIZED", UNAUTHORIZED, "DEFAULT_4XX", DEFAULT_4XX), "dev");

    private static String body(GatewayResponses.Rendered rendered) {
        return new String(rendered.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aCustomisedType_rendersItsTemplate_andMapsTheOriginHeader() {
        GatewayResponses.Rendered rendered = responses.render(GatewayResponses.Type.UNAUTHORIZED, Optional.empty(), "req-1", "/me", "GET",
                name -> name.equalsIgnoreCase("Origin") ? Optional.of("https://app.example") : Optional.empty());

        assertThat(rendered.status()).isEqualTo(401);
        assertThat(body(rendered)).isEqualTo("{\"code\":\"Unauthorized\",\"requestId\":\"req-1\"}");
        assertThat(rendered.headers()).containsEntry("Access-Control-Allow-Origin", List.of("https://app.example"))
                .containsEntry("WWW-Authenticate", List.of("Bearer"));
    }

    @Test
    void anUnmappedRequestHeader_addsNoHeader() {
        GatewayResponses.Rendered rendered = responses.render(GatewayResponses.Type.UNAUTHORIZED, Optional.empty(), "r", "/me", "GET",
                name -> Optional.empty());

        assertThat(rendered.headers()).doesNotContainKey("Access-Control-Allow-Origin");
    }

    @Test
    void aTypeWithoutCustomisation_usesDefault4xx_withItsOwnStatus_andLeavesUnknownVariablesAsWritten() {
        GatewayResponses.Rendered rendered = responses.render(GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN, Optional.empty(),
                "r", null, "GET", name -> Optional.empty());

        assertThat(rendered.status()).isEqualTo(403);
        assertThat(body(rendered))
                .isEqualTo("{\"message\":\"Missing Authentication Token\",\"type\":\"MISSING_AUTHENTICATION_TOKEN\",\"x\":\"$context.nope\"}");
    }

    @Test
    void withoutAnyCustomisation_theAwsDefaultBody() {
        GatewayResponses plain = new GatewayResponses(Map.of(), "dev");

        GatewayResponses.Rendered rendered = plain.render(GatewayResponses.Type.INTEGRATION_FAILURE, Optional.empty(), "r", "/x", "GET",
                name -> Optional.empty());

        assertThat(rendered.status()).isEqualTo(502);
        assertThat(body(rendered)).isEqualTo("{\"message\":\"Internal server error\"}");
    }

    @Test
    void templatesThatDoNotRenderAsJson_areReported() {
        GatewayResponseDefinition broken = new GatewayResponseDefinition(Optional.empty(), Map.of(),
                Map.of("application/json", "{\"status\":$context.error.responseType.statusCode}"));

        assertThat(responses.invalidJsonTemplates()).isEmpty();
        assertThat(new GatewayResponses(Map.of("DEFAULT_5XX", broken), "dev").invalidJsonTemplates())
                .singleElement().asString().startsWith("DEFAULT_5XX");
    }
}
