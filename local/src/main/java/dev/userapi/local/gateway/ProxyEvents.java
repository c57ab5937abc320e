package dev.userapi.local.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the REST API Lambda proxy event ({@code APIGatewayProxyRequestEvent} as JSON) for one
 * request, with the fields API Gateway fills: resource template and actual path, headers and query
 * parameters both single- and multi-valued, path parameters, the body (base64 when it is not
 * text), and the request context: request ID, stage, resource path, the caller's address as the
 * TCP peer (never {@code X-Forwarded-For}, which the client controls), user agent, and the
 * authorizer's context with its principal.
 */
public final class ProxyEvents {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    /** The API's identity in the local "account". */
    public record ApiIdentity(String accountId, String apiId, String stage) {
    }

    /** What the gateway knows about one incoming request. */
    public record Request(
            String requestId,
            Instant receivedAt,
            String method,
            String path,
            Map<String, List<String>> headers,
            Map<String, List<String>> query,
            byte[] body,
            String sourceIp,
            String protocol) {
    }

    private final ApiIdentity api;

    public ProxyEvents(ApiIdentity api) {
        this.api = api;
    }

    /**
     * @param authorizer the authorizer's principal and context, or null for a public route
     */
    public ObjectNode event(Request request, RouteTable.Match match, Map<String, Object> authorizer) {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("resource", match.route().resource());
        event.put("path", request.path());
        event.put("httpMethod", request.method());

        ObjectNode headers = event.putObject("headers");
        ObjectNode multiHeaders = event.putObject("multiValueHeaders");
        request.headers().forEach((name, values) -> {
            headers.put(name, values.get(values.size() - 1));
            var all = multiHeaders.putArray(name);
            values.forEach(all::add);
        });
        if (request.query().isEmpty()) {
            event.putNull("queryStringParameters");
            event.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode query = event.putObject("queryStringParameters");
            ObjectNode multiQuery = event.putObject("multiValueQueryStringParameters");
            request.query().forEach((name, values) -> {
                query.put(name, values.get(values.size() - 1));
                var all = multiQuery.putArray(name);
                values.forEach(all::add);
            });
        }
        if (match.pathParameters().isEmpty()) {
            event.putNull("pathParameters");
        } else {
            ObjectNode parameters = event.putObject("pathParameters");
            match.pathParameters().forEach(parameters::put);
        }
        event.putNull("stageVariables");

        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", api.accountId());
        context.put("apiId", api.apiId());
        context.put("resourceId", Integer.toHexString(match.route().resource().hashCode() & 0xffffff));
        context.put("stage", api.stage());
        context.put("requestId", request.requestId());
        context.put("extendedRequestId", request.requestId());
        context.put("requestTime", REQUEST_TIME.format(request.receivedAt()));
        context.put("requestTimeEpoch", request.receivedAt().toEpochMilli());
        context.put("path", "/" + api.stage() + request.path());
        context.put("protocol", request.protocol());
        context.put("resourcePath", match.route().resource());
        context.put("httpMethod", request.method());
        context.put("domainName", first(request.headers(), "Host"));
        ObjectNode identity = context.putObject("identity");
        identity.put("sourceIp", request.sourceIp());
        identity.put("userAgent", first(request.headers(), "User-Agent"));
        if (authorizer != null) {
            ObjectNode auth = context.putObject("authorizer");
            authorizer.forEach((k, v) -> auth.putPOJO(k, v));
        }

        byte[] body = request.body();
        if (body == null || body.length == 0) {
            event.putNull("body");
            event.put("isBase64Encoded", false);
        } else if (isUtf8(body)) {
            event.put("body", new String(body, StandardCharsets.UTF_8));
            event.put("isBase64Encoded", false);
        } else {
            event.put("body", Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", true);
        }
        return event;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
