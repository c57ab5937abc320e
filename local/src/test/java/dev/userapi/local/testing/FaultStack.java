package dev.userapi.local.testing;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.OutboxClient;

import dev.userapi.local.DevStack;
import dev.userapi.local.ProjectLayout;
import dev.userapi.local.StackOptions;
import dev.userapi.local.faults.Faults;
import java.util.Map;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A second local stack, private to the destructive tests (faults, throttling), so that stopping
 * DynamoDB or Cognito never disturbs the tests on the shared {@link TestStack}. Started once per test
 * JVM on first use, with {@link StackOptions#withFaultInjection() fault proxies} between the
 * functions and their dependencies ({@link #faults()}).
 *
 * <p>Its parameters differ from the shared stack's on purpose ({@link #OVERRIDES}):
 * <ul>
 *   <li>{@code AuthorizerCacheTtlSeconds=300}: the gateway caches authorizer decisions per token, as in
 *       production (default 60), so a route whose dependency fails can be reached with a token that
 *       was authorized before the fault;</li>
 *   <li>{@code AuthThrottlingBurstLimit=60}, {@code AuthThrottlingRateLimit=2}: small enough that the
 *       throttling test can empty a route's bucket (it uses {@code /auth/resend-code}, which no fault
 *       test calls), large enough for the few sign-ups and logins the fault tests make.</li>
 * </ul>
 */
public final class FaultStack {
    public static final Map<String, String> OVERRIDES = Map.of(
            "UniformResponseMillis", "100",
            "AuthorizerCacheTtlSeconds", "300",
            "AuthThrottlingRateLimit", "2",
            "AuthThrottlingBurstLimit", "60",
            "ThrottlingRateLimit", "10000",
            "ThrottlingBurstLimit", "10000",
            "WafAuthRequestsPerIp", "2000000000",
            "WafRequestsPerIp", "2000000000");

    /** The route whose bucket the throttling test empties; no other test on this stack calls it. */
    public static final String THROTTLED_ROUTE = "/auth/resend-code";

    private static DevStack stack;

    private FaultStack() {
    }

    public static synchronized DevStack get() {
        if (stack == null) {
            long started = System.nanoTime();
            DevStack running = DevStack.start(StackOptions.defaults(ProjectLayout.findRoot())
                    .withParameterOverrides(OVERRIDES).withFaultInjection());
            System.err.printf("[e2e] fault-injection stack up in %d ms at %s%n", (System.nanoTime() - started) / 1_000_000,
                    running.apiUrl());
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "e2e-fault-stack-shutdown"));
            stack = running;
        }
        return stack;
    }

    public static ApiClient api() {
        return new ApiClient(get().apiUrl());
    }

    public static OutboxClient outbox() {
        return new OutboxClient(api());
    }

    public static Faults faults() {
        return get().faults();
    }

    /** DynamoDB Local itself, not through the fault proxy: for looking at what was written. */
    public static DynamoDbClient dynamoDb() {
        return StackClients.dynamoDb(get());
    }

    /** The Cognito layer itself, not through the fault proxy. */
    public static CognitoIdentityProviderClient cognito() {
        return StackClients.cognito(get());
    }

    public static String table() {
        return get().tableName();
    }

    public static String pool() {
        return get().userPoolId();
    }

    /** The seeded administrator of this stack. */
    public static String adminToken() {
        return Admins.seeded().login(api()).accessToken();
    }
}
