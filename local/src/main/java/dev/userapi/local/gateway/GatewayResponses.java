package dev.userapi.local.gateway;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.userapi.core.json.Json;
import dev.userapi.local.template.GatewayResponseDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answers API Gateway generates itself (no route, no or bad token, denied, throttled,
 * authorizer failure, integration failure), rendered from the template's {@code GatewayResponses} like API Gateway
 * does: the type's own customisation, else {@code DEFAULT_4XX}/{@code DEFAULT_5XX}, else AWS's
 * default {@code {"message": "..."}}; header mappings ({@code 'literal'},
 * {@code method.request.header.Origin}) and {@code $context} variables in the body template.
 */
public final class GatewayResponses {
    /** The gateway response types the local gateway produces, with AWS's default status and message. */
    public enum Type {
        UNAUTHORIZED(401, "Unauthorized", "UnauthorizedException"),
        ACCESS_DENIED(403, "User is not authorized to access this resource with an explicit deny", "AccessDeniedException"),
        MISSING_AUTHENTICATION_TOKEN(403, "Missing Authentication Token", "MissingAuthenticationTokenException"),
        AUTHORIZER_FAILURE(500, null, "AuthorizerFailureException"),
        AUTHORIZER_CONFIGURATION_ERROR(500, null, "AuthorizerConfigurationException"),
        REQUEST_TOO_LARGE(413, "Request Too Long", "RequestTooLargeException"),
        INTEGRATION_FAILURE(502, "Internal server error", "InternalServerErrorException"),
        INTEGRATION_TIMEOUT(504, "Endpoint request timed out", "InternalServerErrorException"),
        THROTTLED(429, "Too Many Requests", "TooManyRequestsException"),
        /** A request AWS WAF blocked (the web ACL's per-IP rate rules, {@link WebAcl}). */
        WAF_FILTERED(403, "Forbidden", "ForbiddenException");

        final int status;
        final String message;
        final String errorType;

        Type(int status, String message, String errorType) {
            this.status = status;
            this.message = message;
            this.errorType = errorType;
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$!?(?:\\{(context(?:\\.\\w+)+)}|(context(?:\\.\\w+)+))");

    private final Map<String, GatewayResponseDefinition> definitions;
    private final String stage;

    public GatewayResponses(Map<String, GatewayResponseDefinition> definitions, String stage) {
        this.definitions = Map.copyOf(definitions);
        this.stage = stage;
    }

    /** What the gateway sends back for one request it answers itself. */
    public record Rendered(int status, Map<String, List<String>> headers, byte[] body) {
    }

    /**
     * @param message        overrides the type's default message ({@code $context.error.message})
     * @param requestHeaders the request's headers, case-insensitive (for {@code method.request.header.*})
     */
    public Rendered render(Type type, Optional<String> message, String requestId, String resourcePath, String httpMethod,
                           Function<String, Optional<String>> requestHeaders) {
        String errorMessage = message.orElse(type.message != null ? type.message : "null");
        Optional<GatewayResponseDefinition> definition = Optional.ofNullable(definitions.get(type.name()))
                .or(() -> Optional.ofNullable(definitions.get(type.status < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX")));
        int status = definition.flatMap(GatewayResponseDefinition::statusCode).orElse(type.status);
        Map<String, String> context = new LinkedHashMap<>();
        context.put("context.requestId", requestId);
        context.put("context.extendedRequestId", requestId);
        context.put("context.stage", stage);
        context.put("context.resourcePath", resourcePath == null ? "" : resourcePath);
        context.put("context.httpMethod", httpMethod);
        context.put("context.error.message", errorMessage);
        context.put("context.error.messageString", Json.write(TextNode.valueOf(errorMessage)));
        context.put("context.error.responseType", type.name());

        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("x-amzn-RequestId", List.of(requestId));
        headers.put("x-amzn-ErrorType", List.of(type.errorType));
        String body;
        if (definition.isPresent()) {
            definition.get().headers().forEach((name, expression) ->
                    headerValue(expression, requestHeaders).ifPresent(v -> headers.put(name, new ArrayList<>(List.of(v)))));
            String template = definition.get().templates().get("application/json");
            body = template == null ? defaultBody(type, message) : render(template, context);
        } else {
            body = defaultBody(type, message);
        }
        return new Rendered(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String defaultBody(Type type, Optional<String> message) {
        Optional<String> text = message.or(() -> Optional.ofNullable(type.message));
        return "{\"message\":" + text.map(t -> Json.write(TextNode.valueOf(t))).orElse("null") + "}";
    }

    /** A response parameter mapping: a quoted literal, or a request header. */
    static Optional<String> headerValue(String expression, Function<String, Optional<String>> requestHeaders) {
        if (expression.length() >= 2 && expression.startsWith("'") && expression.endsWith("'")) {
            return Optional.of(expression.substring(1, expression.length() - 1));
        }
        String prefix = "method.request.header.";
        if (expression.startsWith(prefix)) {
            return requestHeaders.apply(expression.substring(prefix.length()));
        }
        return Optional.empty();
    }

    /**
     * Substitutes {@code $context.*} references. As in API Gateway's templates (Velocity), a
     * reference to a variable that does not exist is left as written.
     */
    static String render(String template, Map<String, String> context) {
        Matcher matcher = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            String value = context.get(name);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * The customised bodies that would not be JSON once rendered (a reference to a variable API
     * Gateway does not have, a quoted {@code messageString}...), so start-up can warn about them.
     */
    public List<String> invalidJsonTemplates() {
        List<String> problems = new ArrayList<>();
        for (Type type : Type.values()) {
            Rendered sample = render(type, Optional.empty(), "sample-request-id", "/sample", "GET", h -> Optional.empty());
            try {
                Json.readTree(new String(sample.body(), StandardCharsets.UTF_8));
            } catch (Exception e) {
                String source = definitions.containsKey(type.name()) ? type.name() : type.status < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX";
                String problem = source + " (used for " + type.name() + ") renders as invalid JSON: "
                        + new String(sample.body(), StandardCharsets.UTF_8);
                if (!problems.contains(problem) && problems.stream().noneMatch(p -> p.startsWith(source + " "))) {
                    problems.add(problem);
                }
            }
        }
        return problems;
    }
}
