package dev.userapi.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import dev.userapi.local.lambda.FunctionError;
import dev.userapi.local.lambda.LambdaFunction;
import dev.userapi.local.template.TokenAuthorizerDefinition;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Lambda {@code TOKEN} authorizer as API Gateway runs it. A missing token, or one that does not
 * match the identity's {@code ValidationExpression}, is refused with 401 without calling the
 * function. Otherwise the function gets {@code {type: TOKEN, authorizationToken, methodArn}}; an
 * error whose message is {@code Unauthorized} means 401, any other failure 500; the returned IAM
 * policy is evaluated against the method ARN (Deny wins; no match means 403). Results are cached by
 * token for {@code ReauthorizeEvery} seconds, and a cached policy is evaluated against each new
 * method ARN, exactly as on AWS (so a cached policy must cover every route the caller may call).
 */
public final class TokenAuthorizer {
    /** What the authorizer decided for one request. */
    public sealed interface Outcome {
    }

    /** Let through; {@code context} becomes {@code requestContext.authorizer} (with the principal). */
    public record Allowed(String principalId, Map<String, Object> context) implements Outcome {
    }

    /** 401: no token, a malformed one, or the function said {@code Unauthorized}. */
    public record Unauthorized() implements Outcome {
    }

    /** 403: the policy does not allow this method. */
    public record Denied(boolean explicit) implements Outcome {
    }

    /** 500: the function failed, or returned something that is not an authorizer response. */
    public record Failed(GatewayResponses.Type type, String reason) implements Outcome {
    }

    /** The function has no code (yet): the gateway names it in a 502. */
    public record Unavailable(FunctionError error) implements Outcome {
    }

    private record Decision(String principalId, JsonNode policy, Map<String, Object> context, long expiresAtNanos) {
    }

    private final TokenAuthorizerDefinition definition;
    private final LambdaFunction function;
    private final int ttlSeconds;
    private final Map<String, Decision> cache = new ConcurrentHashMap<>();

    public TokenAuthorizer(TokenAuthorizerDefinition definition, LambdaFunction function) {
        this.definition = definition;
        this.function = function;
        this.ttlSeconds = definition.ttlSeconds();
    }

    public String identityHeader() {
        return definition.identityHeader();
    }

    public Outcome authorize(Optional<String> token, String methodArn) {
        if (token.isEmpty() || token.get().isEmpty()) { // API Gateway: a token that is not set, null or empty
            return new Unauthorized();
        }
        String value = token.get();
        if (definition.validationExpression().isPresent() && !definition.validationExpression().get().matcher(value).matches()) {
            return new Unauthorized();
        }
        Decision decision = cached(value);
        if (decision == null) {
            ObjectNode event = Json.mapper().createObjectNode();
            event.put("type", "TOKEN");
            event.put("authorizationToken", value);
            event.put("methodArn", methodArn);
            byte[] response;
            try {
                response = function.invoke(Json.write(event).getBytes(StandardCharsets.UTF_8));
            } catch (FunctionError.Unavailable e) {
                return new Unavailable(e);
            } catch (FunctionError e) {
                if ("Unauthorized".equals(e.getMessage())) {
                    return new Unauthorized();
                }
                return new Failed(GatewayResponses.Type.AUTHORIZER_FAILURE, e.errorType() + ": " + e.getMessage());
            }
            try {
                decision = parse(response);
            } catch (IllegalArgumentException e) {
                return new Failed(GatewayResponses.Type.AUTHORIZER_CONFIGURATION_ERROR, e.getMessage());
            }
            if (ttlSeconds > 0) {
                cache.put(value, decision);
            }
        }
        IamPolicy.Decision verdict;
        try {
            verdict = IamPolicy.evaluate(decision.policy(), methodArn);
        } catch (IllegalArgumentException e) {
            return new Failed(GatewayResponses.Type.AUTHORIZER_CONFIGURATION_ERROR, e.getMessage());
        }
        return switch (verdict) {
            case ALLOW -> new Allowed(decision.principalId(), decision.context());
            case DENY -> new Denied(false);
            case EXPLICIT_DENY -> new Denied(true);
        };
    }

    private Decision cached(String token) {
        Decision decision = cache.get(token);
        if (decision != null && System.nanoTime() - decision.expiresAtNanos() >= 0) {
            cache.remove(token, decision);
            return null;
        }
        return decision;
    }

    private Decision parse(byte[] response) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(response);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the authorizer's response is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the authorizer's response is not an object");
        }
        JsonNode principal = root.get("principalId");
        if (principal == null || !principal.isTextual() || principal.asText().isEmpty()) {
            throw new IllegalArgumentException("the authorizer's response has no principalId");
        }
        JsonNode policy = root.get("policyDocument");
        if (policy == null || !policy.isObject()) {
            throw new IllegalArgumentException("the authorizer's response has no policyDocument");
        }
        Map<String, Object> context = new LinkedHashMap<>();
        JsonNode contextNode = root.get("context");
        if (contextNode != null && !contextNode.isNull()) {
            if (!contextNode.isObject()) {
                throw new IllegalArgumentException("the authorizer's context is not an object");
            }
            for (var field : contextNode.properties()) {
                JsonNode v = field.getValue();
                if (!v.isValueNode() || v.isNull()) {
                    // API Gateway accepts only strings, numbers and booleans as context values.
                    throw new IllegalArgumentException("the authorizer's context value '" + field.getKey() + "' is not a string, number or boolean");
                }
                // REST APIs pass every context value to the integration as a string.
                context.put(field.getKey(), v.asText());
            }
        }
        long expires = System.nanoTime() + ttlSeconds * 1_000_000_000L;
        return new Decision(principal.asText(), policy, context, expires);
    }
}
