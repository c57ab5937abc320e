package dev.userapi.local;

import dev.userapi.local.template.FunctionDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A function's environment in the local stack: what the template gives it (Globals plus its own
 * variables, evaluated against the local resources), plus what the Lambda runtime would set and
 * what points the unchanged code at the local services. No variable says "local": the code only
 * sees different endpoints.
 *
 * <ul>
 *   <li>{@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, {@code AWS_LAMBDA_FUNCTION_*}, and dummy
 *       credentials ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}), as Lambda sets them;</li>
 *   <li>{@code DYNAMODB_ENDPOINT} → DynamoDB Local; {@code COGNITO_ENDPOINT} → the Cognito
 *       compatibility layer in front of cognito-local;</li>
 *   <li>{@code SES_ENDPOINT} → the local SES endpoint, which writes the API's own messages to the outbox; and
 *       when the template gives no sender ({@code MAIL_FROM} empty: deployed without SES), a local one, as the
 *       credentials above are dummies: the mail port then works unchanged;</li>
 *   <li>{@code OAUTH_DOMAIN_URL} (hosted sign-in) → cognito-local's {@code /oauth2/*}, through the same layer;</li>
 *   <li>for a function that verifies tokens ({@code COGNITO_ISSUER} in its environment, or an API
 *       authorizer): {@code COGNITO_ISSUER} → cognito-local's issuer and {@code JWKS_URL} → its keys.</li>
 * </ul>
 */
public record FunctionEnvironment(
        String region,
        String dynamoDbEndpoint,
        String cognitoEndpoint,
        String sesEndpoint,
        String issuer,
        String jwksUrl,
        Set<String> authorizerFunctions) {

    /** The sender of the API's own messages locally when the template names none. */
    public static final String LOCAL_SENDER = "no-reply@user-api.localhost";

    public Map<String, String> of(FunctionDefinition function) {
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(function.memorySizeMb()));
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", String.valueOf(function.timeoutSeconds()));
        env.put("DYNAMODB_ENDPOINT", dynamoDbEndpoint);
        env.put("COGNITO_ENDPOINT", cognitoEndpoint);
        env.put("SES_ENDPOINT", sesEndpoint);
        if (env.getOrDefault("MAIL_FROM", "").isBlank()) {
            env.put("MAIL_FROM", LOCAL_SENDER);
        }
        if (env.containsKey("OAUTH_DOMAIN_URL")) {
            env.put("OAUTH_DOMAIN_URL", cognitoEndpoint); // the hosted UI: cognito-local's, behind the compatibility layer
        }
        if (env.containsKey("COGNITO_ISSUER") || authorizerFunctions.contains(function.logicalId())) {
            env.put("COGNITO_ISSUER", issuer);
            env.put("JWKS_URL", jwksUrl);
        }
        return env;
    }
}
