package dev.userapi.local.testing;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.OutboxClient;

import dev.userapi.local.DevStack;
import dev.userapi.local.ProjectLayout;
import dev.userapi.local.StackOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local stack for end-to-end tests: started once per test JVM, on the first call, on free
 * ports and in memory, and stopped when the JVM exits. Tests talk to it over HTTP only, through
 * {@link #api()} and {@link #outbox()}.
 *
 * <p>Template parameters are overridden for speed and determinism ({@link #OVERRIDES}): a short
 * uniform-latency floor, no authorizer cache so revocations show at once, a 20-second
 * re-authentication window, and throttling limits
 * that a test run does not reach. Add
 * {@code -Duserapi.e2e.overrides="Key=Value ..."} to change more.
 *
 * <pre>{@code
 * class MyRouteIT {
 *     private final ApiClient api = TestStack.api();
 *
 *     @Test
 *     void myRoute_whenSignedIn_returns200() {
 *         TestUser user = TestUsers.confirmed();           // sign-up, code from the outbox, confirm
 *         ApiResponse response = api.get("/my-route").bearer(user.login().accessToken()).send();
 *         assertThat(response.status()).isEqualTo(200);
 *     }
 * }
 * }</pre>
 */
public final class TestStack {
    /** Overrides every end-to-end run uses. */
    public static final Map<String, String> OVERRIDES = Map.ofEntries(
            Map.entry("UniformResponseMillis", "100"),
            Map.entry("AuthorizerCacheTtlSeconds", "0"),
            // short enough that ReauthenticationIT can outwait it, long enough for any test's login → sudo call
            Map.entry("ReauthWindowSeconds", "20"),
            // tests call /auth/* far faster than the production throttling allows
            Map.entry("AuthThrottlingRateLimit", "10000"),
            Map.entry("AuthThrottlingBurstLimit", "10000"),
            Map.entry("ThrottlingRateLimit", "10000"),
            Map.entry("ThrottlingBurstLimit", "10000"),
            // the WAF's per-IP rate rules (every test request comes from 127.0.0.1): never reached by the suite
            Map.entry("WafAuthRequestsPerIp", "2000000000"),
            Map.entry("WafRequestsPerIp", "2000000000"));

    private static DevStack stack;

    private TestStack() {
    }

    /** The running stack (started on first use). */
    public static synchronized DevStack get() {
        if (stack == null) {
            Map<String, String> overrides = new LinkedHashMap<>(OVERRIDES);
            String extra = System.getProperty("userapi.e2e.overrides", "");
            for (String pair : extra.trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    overrides.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            long started = System.nanoTime();
            DevStack running = DevStack.start(StackOptions.defaults(ProjectLayout.findRoot()).withParameterOverrides(overrides));
            System.err.printf("[e2e] local stack up in %d ms at %s%n", (System.nanoTime() - started) / 1_000_000, running.apiUrl());
            running.warnings().forEach(w -> System.err.println("[e2e] warning: " + w));
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "e2e-stack-shutdown"));
            stack = running;
        }
        return stack;
    }

    /** An HTTP client for the API. */
    public static ApiClient api() {
        return new ApiClient(get().apiUrl());
    }

    /** The local outbox, read over HTTP. */
    public static OutboxClient outbox() {
        return new OutboxClient(api());
    }
}
