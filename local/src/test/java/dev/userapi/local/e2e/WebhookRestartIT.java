package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.WebhookReceiver;
import dev.userapi.local.DevStack;
import dev.userapi.local.ProjectLayout;
import dev.userapi.local.StackOptions;
import dev.userapi.local.testing.TestUser;
import dev.userapi.local.testing.TestUsers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, "a restart of the local stack with persistent data loses no pending delivery" (docs/EVENTS.md, LOCAL.md):
 * a throwaway stack of its own, with its data in a temporary folder, delivers to a receiver that fails every attempt;
 * once each event has failed at least once (its next attempt waits in the delivery queue), and right after a last round
 * of changes (published before the stop or still in the table's stream), the stack is stopped and started again on the
 * same data. The receiver then succeeds, and every event arrives, verified, with the id it failed with.
 */
class WebhookRestartIT {
    /** Retries 1 s, 6 s, 36 s… apart and 10 attempts: nothing can go dead while the test runs. */
    static final Map<String, String> OVERRIDES = Map.ofEntries(
            Map.entry("UniformResponseMillis", "100"),
            Map.entry("AuthorizerCacheTtlSeconds", "0"),
            Map.entry("AuthThrottlingRateLimit", "10000"),
            Map.entry("AuthThrottlingBurstLimit", "10000"),
            Map.entry("ThrottlingRateLimit", "10000"),
            Map.entry("ThrottlingBurstLimit", "10000"),
            Map.entry("WafAuthRequestsPerIp", "2000000000"),
            Map.entry("WafRequestsPerIp", "2000000000"),
            Map.entry("WebhookAllowLoopback", "true"),
            Map.entry("WebhookRetryBaseSeconds", "1"),
            Map.entry("WebhookMaxAttempts", "10"));
    /** A bound for the waits (the longest pending backoff is 36 s at the third attempt), not a timing assertion. */
    static final Duration WINDOW = Duration.ofMinutes(5);

    private static String adminToken(ApiClient api, StackOptions options) {
        ApiResponse login = api.post("/auth/login").json(Map.of("email", options.adminEmail(), "password", options.adminPassword())).send();
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return login.json().path("accessToken").asText();
    }

    private static Set<String> types(List<WebhookReceiver.Delivery> deliveries, String userId) {
        return deliveries.stream().filter(d -> userId.equals(d.event().path("data").path("userId").asText()))
                .map(d -> d.event().path("type").asText()).collect(Collectors.toSet());
    }

    @Test
    void aRestartWithPersistentData_losesNoPendingDelivery(@TempDir Path data) throws Exception {
        StackOptions options = StackOptions.defaults(ProjectLayout.findRoot()).withParameterOverrides(OVERRIDES).withPersistentData(data);
        AtomicBoolean up = new AtomicBoolean(false);
        try (WebhookReceiver receiver = new WebhookReceiver().answering(n -> up.get() ? 204 : 503)) {
            Map<String, TestUser> users = new LinkedHashMap<>();
            String secret;
            try (DevStack first = DevStack.start(options)) {
                ApiClient api = new ApiClient(first.apiUrl());
                String admin = adminToken(api, options);
                ApiResponse created = api.post("/webhooks").bearer(admin).json(Map.of("url", receiver.url("/restart"),
                        "events", List.of("user.created", "user.confirmed", "user.updated"))).send();
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                secret = created.json().path("secret").asText();
                for (int i = 0; i < 3; i++) {
                    TestUser user = TestUsers.confirmed(api, "restart-" + i);
                    String token = user.login(api).accessToken();
                    users.put(api.get("/me").bearer(token).send().json().path("id").asText(), user);
                }
                // every event has failed at least once: its next attempt is pending in the delivery queue
                assertThat(WebhookReceiver.await(() -> users.keySet().stream()
                        .allMatch(id -> types(receiver.received(), id).containsAll(Set.of("user.created", "user.confirmed"))), WINDOW))
                        .as("first attempts: %s", receiver.received().size()).isTrue();
                // a last round of changes just before the stop: each is still in the stream, or published and pending
                for (TestUser user : users.values()) {
                    String token = user.login(api).accessToken();
                    ApiResponse renamed = api.patch("/me").bearer(token).header("If-Match", "*").json(Map.of("name", "Before Restart")).send();
                    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
                }
            }
            List<WebhookReceiver.Delivery> failed = receiver.received();
            assertThat(failed).as("nothing succeeded before the restart").isNotEmpty();
            int before = failed.size();

            up.set(true);
            try (DevStack second = DevStack.start(options)) {
                assertThat(WebhookReceiver.await(() -> {
                    List<WebhookReceiver.Delivery> after = after(receiver, before);
                    return users.keySet().stream().allMatch(id -> types(after, id).containsAll(Set.of("user.created", "user.confirmed", "user.updated")))
                            && after.stream().map(WebhookReceiver.Delivery::webhookId).collect(Collectors.toSet())
                            .containsAll(failed.stream().map(WebhookReceiver.Delivery::webhookId).toList());
                }, WINDOW)).as("after the restart: %s", after(receiver, before).stream().map(d -> d.event().path("type").asText()).toList())
                        .isTrue();
                List<WebhookReceiver.Delivery> after = after(receiver, before);
                for (WebhookReceiver.Delivery d : after) {
                    assertThat(WebhookReceiver.verify(d, secret)).as("signature of %s", d.body()).isTrue();
                }
                assertThat(after.stream().filter(d -> "user.updated".equals(d.event().path("type").asText()))
                        .map(d -> d.event().path("data").path("profile").path("name").asText())).containsOnly("Before Restart");
                assertThat(second.events().queue("DeliveryDeadLetterQueue").orElseThrow().messages()).isEmpty();
                assertThat(second.events().queue("PublisherFailureQueue").orElseThrow().messages()).isEmpty();
            }
        }
    }

    private static List<WebhookReceiver.Delivery> after(WebhookReceiver receiver, int from) {
        List<WebhookReceiver.Delivery> all = receiver.received();
        return new ArrayList<>(all.subList(Math.min(from, all.size()), all.size()));
    }
}
