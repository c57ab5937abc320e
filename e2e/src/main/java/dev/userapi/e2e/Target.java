package dev.userapi.e2e;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.e2e.client.Template;
import dev.userapi.e2e.client.TestUser;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The stack one run of the suite drives, as {@link E2e} resolved it from its options: the API's base
 * URL, what the run may use besides HTTP (the local outbox, Cognito's admin APIs, read access to the
 * table), and the stack's settings (template defaults overlaid with its parameters).
 *
 * @param local           a local stack (scripts/start-local.sh): the outbox, the web client at /app/ and the
 *                        local hosted UI are there; a deployed stack has none of them
 * @param origin          an origin the stack allows (AllowedOrigins), sent as Origin by the CORS assertions
 * @param bootstrapAdmin  an administrator that exists before the run (the local stack's seeded one; for a
 *                        deployed stack E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD)
 * @param cognito         Cognito's admin APIs on the stack's pool, when the run has them
 * @param dynamoDb        read access to the stack's table, when the run has it
 * @param template        the checkout's template.yaml (routes, parameter defaults)
 * @param settings        the stack's template parameters (defaults overlaid with the stack's values)
 * @param runId           a short id of this run: every address it makes starts with {@code e2e-<runId>-}
 */
public record Target(String baseUrl, boolean local, String origin, Optional<TestUser> bootstrapAdmin,
                     Optional<CognitoIdentityProviderClient> cognito, String userPoolId, String userPoolClientId,
                     Optional<DynamoDbClient> dynamoDb, String tableName, Template template, Map<String, String> settings,
                     String runId) {
    private static Target current;

    /** The target of this run (set once by {@link E2e} before any test runs). */
    public static synchronized Target get() {
        if (current == null) {
            throw new IllegalStateException("No target: run the suite with scripts/e2e.sh (dev.userapi.e2e.E2e)");
        }
        return current;
    }

    static synchronized void set(Target target) {
        current = target;
    }

    /** An HTTP client for the API; against a deployed stack it retries the gateway's 429s. */
    public ApiClient api() {
        return new ApiClient(baseUrl, !local);
    }

    public OutboxClient outbox() {
        Requires.outbox();
        return new OutboxClient(api());
    }

    public String setting(String name) {
        String value = settings.get(name);
        if (value == null) {
            throw new IllegalStateException("template.yaml has no parameter " + name);
        }
        return value;
    }

    public long numericSetting(String name) {
        return (long) Double.parseDouble(setting(name).trim());
    }

    /**
     * The {@code Access-Control-Allow-Origin} of an answer API Gateway makes itself (401, 403, 404, 429…): the single
     * allowed origin when exactly one is configured, otherwise {@code *} — never the request's own Origin.
     */
    public String gatewayAllowOrigin() {
        List<String> origins = Arrays.stream(setting("AllowedOrigins").split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList();
        return origins.size() == 1 ? origins.get(0) : "*";
    }
}
