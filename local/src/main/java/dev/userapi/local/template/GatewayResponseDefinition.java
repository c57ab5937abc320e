package dev.userapi.local.template;

import java.util.Map;
import java.util.Optional;

/**
 * A customised gateway response ({@code GatewayResponses.<TYPE>}): what API Gateway itself answers
 * when it refuses a request (401, 403, unknown route...).
 *
 * @param statusCode overrides the type's default status when present
 * @param headers    header name → mapping expression ({@code 'literal'} or {@code method.request.header.X})
 * @param templates  content type → body template ({@code $context.requestId} etc.)
 */
public record GatewayResponseDefinition(
        Optional<Integer> statusCode,
        Map<String, String> headers,
        Map<String, String> templates) {

    public GatewayResponseDefinition {
        headers = Map.copyOf(headers);
        templates = Map.copyOf(templates);
    }
}
