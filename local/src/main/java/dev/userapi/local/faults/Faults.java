package dev.userapi.local.faults;

import dev.userapi.local.lambda.LambdaFunction;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * <b>Local stack only, for fault-injection tests</b> ({@code StackOptions.withFaultInjection()}): the
 * proxies the functions reach their dependencies through, and a way to recycle a function's
 * execution environment.
 *
 * @param dynamoDb  between every function (and so the triggers) and DynamoDB Local ({@code DYNAMODB_ENDPOINT})
 * @param cognito   between every function and the Cognito layer in front of cognito-local ({@code COGNITO_ENDPOINT})
 * @param jwks      between the authorizer and cognito-local's JWKS ({@code JWKS_URL}); the issuer stays cognito-local's
 */
public record Faults(FaultProxy dynamoDb, FaultProxy cognito, FaultProxy jwks, Map<String, LambdaFunction> functions) {
    public Faults {
        functions = Map.copyOf(functions);
    }

    public List<FaultProxy> proxies() {
        return List.of(dynamoDb, cognito, jwks);
    }

    /** Every dependency back to normal. */
    public void healAll() {
        proxies().forEach(FaultProxy::pass);
    }

    /**
     * Drops the function's handler instance, so its next invocation is a cold start: Lambda does the
     * same when it replaces an execution environment (caches, keys and clients start empty).
     */
    public void recycle(String functionId) {
        Optional.ofNullable(functions.get(functionId)).orElseThrow(() -> new IllegalArgumentException("No function " + functionId))
                .recycle();
    }
}
