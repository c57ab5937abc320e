package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle events delivered to signed webhooks (issue 20, docs/EVENTS.md, SECURITY.md item 34): the users table's
 * stream → the publisher → the bus → the delivery queue → a receiver this test runs on 127.0.0.1, verified with the
 * Standard Webhooks scheme; retries, the dead-letter state and the retry route; SSRF refused at registration.
 */
class WebhooksIT {
    private final ApiClient api = Target.get().api();
    private final String admin = Admins.token();
    private final List<String> registered = new ArrayList<>();

    @AfterEach
    void deleteWebhooks() {
        registered.forEach(id -> api.delete("/webhooks/" + id).bearer(admin).send());
    }

    /** How long the slowest delivery may take: every retry's backoff (WebhookRetryBaseSeconds × 6^n) plus margin. */
    private static Duration deliveryWindow() {
        long base = Target.get().numericSetting("WebhookRetryBaseSeconds");
        long attempts = Target.get().numericSetting("WebhookMaxAttempts");
        long total = 0;
        long delay = base;
        for (int i = 1; i < attempts; i++) {
            total += Math.min(delay, 900);
            delay *= 6;
        }
        return Duration.ofSeconds(30 + total);
    }

    private JsonNode register(String url, List<String> events) {
        ApiResponse created = api.post("/webhooks").bearer(admin).json(Map.of("url", url, "events", events, "description", "e2e")).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        registered.add(created.json().path("id").asText());
        return created.json();
    }

    private String idOf(TestUser user) {
        return api.get("/me").bearer(user.login().accessToken()).send().json().path("id").asText();
    }

    private List<JsonNode> attempts(String webhookId, String eventId) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ApiResponse page = api.get("/webhooks/" + webhookId + "/deliveries?limit=50" + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(admin).send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().path("items").forEach(item -> {
                if (eventId.equals(item.path("eventId").asText())) {
                    out.add(item);
                }
            });
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
        } while (cursor != null && ++pages < 20);
        return out;
    }

    @Test
    void userLifecycle_isDeliveredSigned_fromCreatedToDeleted() throws Exception {
        Requires.loopbackWebhooks();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            JsonNode webhook = register(receiver.url("/lifecycle"), List.of("user.created", "user.updated", "user.disabled", "user.enabled",
                    "user.deleted", "session.created"));
            String secret = webhook.path("secret").asText();
            assertThat(secret).startsWith("whsec_");

            TestUser user = TestUsers.confirmed("hooks");
            String id = idOf(user);
            String token = user.login().accessToken();
            assertThat(api.patch("/me").bearer(token).header("If-Match", "*").json(Map.of("name", "Hooked")).send().status()).isEqualTo(200);
            assertThat(api.post("/users/" + id + "/disable").bearer(admin).send().status()).isEqualTo(204);
            assertThat(api.post("/users/" + id + "/enable").bearer(admin).send().status()).isEqualTo(204);
            assertThat(api.delete("/users/" + id).bearer(admin).send().status()).isEqualTo(204);

            Set<String> expected = Set.of("user.created", "session.created", "user.updated", "user.disabled", "user.enabled", "user.deleted");
            boolean all = WebhookReceiver.await(() -> receiver.about(id).stream().map(d -> d.event().path("type").asText())
                    .collect(Collectors.toSet()).containsAll(expected), deliveryWindow());
            List<WebhookReceiver.Delivery> deliveries = receiver.about(id);
            assertThat(all).as("deliveries: %s", deliveries.stream().map(d -> d.event().path("type").asText()).toList()).isTrue();
            for (WebhookReceiver.Delivery d : deliveries) {
                assertThat(WebhookReceiver.verify(d, secret)).as("signature of %s", d.body()).isTrue();
                assertThat(d.webhookId()).isEqualTo(d.event().path("id").asText()).startsWith("evt_");
                assertThat(d.event().fieldNames()).toIterable().containsExactly("id", "type", "at", "data");
                assertThat(d.body()).doesNotContain("revokedBefore").doesNotContain("originJti").doesNotContain("SESSION#")
                        .doesNotContain(token);
            }
            // each lifecycle event once (at least once: a redelivery would carry the same webhook-id)
            assertThat(deliveries.stream().map(WebhookReceiver.Delivery::webhookId).distinct().count())
                    .isEqualTo(deliveries.stream().map(d -> d.event().path("type").asText()).filter(expected::contains).count());
            // a signature made with another secret does not verify
            assertThat(WebhookReceiver.verify(deliveries.get(0), "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])))
                    .isFalse();
        }
    }

    @Test
    void failingReceiver_isRetried_untilItAnswers2xx() throws Exception {
        Requires.loopbackWebhooks();
        try (WebhookReceiver receiver = new WebhookReceiver().answering(n -> n <= 2 ? 500 : 200)) {
            String webhookId = register(receiver.url("/flaky"), List.of("user.created")).path("id").asText();
            String id = idOf(TestUsers.confirmed("hooks-flaky"));
            assertThat(WebhookReceiver.await(() -> receiver.about(id).size() >= 3, deliveryWindow())).isTrue();
            String eventId = receiver.about(id).get(0).webhookId();
            assertThat(receiver.about(id)).extracting(WebhookReceiver.Delivery::webhookId).containsOnly(eventId);
            assertThat(WebhookReceiver.await(() -> attempts(webhookId, eventId).size() >= 3, Duration.ofSeconds(10))).isTrue();
            List<JsonNode> attempts = attempts(webhookId, eventId);
            assertThat(attempts).extracting(a -> a.path("attempt").asInt() + ":" + a.path("status").asText() + ":" + a.path("responseStatus").asInt())
                    .containsExactly("3:succeeded:200", "2:failed:500", "1:failed:500");
        }
    }

    @Test
    void receiverAlwaysFailing_endsDead_andTheRetryRouteRedelivers() throws Exception {
        Requires.loopbackWebhooks();
        int maxAttempts = (int) Target.get().numericSetting("WebhookMaxAttempts");
        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean(false);
        try (WebhookReceiver receiver = new WebhookReceiver().answering(n -> up.get() ? 200 : 500)) {
            String webhookId = register(receiver.url("/down"), List.of("user.created")).path("id").asText();
            String id = idOf(TestUsers.confirmed("hooks-down"));
            assertThat(WebhookReceiver.await(() -> !receiver.about(id).isEmpty(), deliveryWindow())).isTrue();
            String eventId = receiver.about(id).get(0).webhookId();
            assertThat(WebhookReceiver.await(() -> attempts(webhookId, eventId).stream().anyMatch(a -> "dead".equals(a.path("status").asText())),
                    deliveryWindow())).isTrue();
            List<JsonNode> attempts = attempts(webhookId, eventId);
            assertThat(attempts).hasSize(maxAttempts);
            assertThat(attempts.get(0).path("attempt").asInt()).isEqualTo(maxAttempts);
            assertThat(attempts.get(0).path("status").asText()).isEqualTo("dead");
            assertThat(receiver.about(id)).hasSize(maxAttempts);

            up.set(true);
            String deliveryId = attempts.get(0).path("id").asText();
            ApiResponse retry = api.post("/webhooks/" + webhookId + "/deliveries/" + deliveryId + "/retry").bearer(admin).send();
            assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
            assertThat(WebhookReceiver.await(() -> attempts(webhookId, eventId).stream()
                    .anyMatch(a -> "succeeded".equals(a.path("status").asText())), Duration.ofSeconds(30))).isTrue();
            assertThat(receiver.about(id)).hasSize(maxAttempts + 1).extracting(WebhookReceiver.Delivery::webhookId).containsOnly(eventId);

            assertProblem(api.post("/webhooks/" + webhookId + "/deliveries/dlv_" + "0".repeat(32) + "/retry").bearer(admin).send(),
                    404, "NotFound");
        }
    }

    @Test
    void e34_ssrfTargets_areRefusedAtRegistration() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "https://localhost/", "https://127.0.0.1/",
                "https://[::ffff:169.254.169.254]/", "https://[::1]:8080/", "https://user:pw@localhost/", "ftp://example.com/",
                "http://localhost.example/", "not a url")) {
            assertProblem(api.post("/webhooks").bearer(admin).json(Map.of("url", url, "events", List.of("user.created"))).send(),
                    400, "InvalidRequest");
        }
        assertThat(api.get("/webhooks").bearer(admin).send().body()).doesNotContain("169.254.169.254").doesNotContain("10.0.0.1");
    }

    @Test
    void registration_showsTheSecretOnce_adminOnly_andDeleteEndsIt() throws Exception {
        Requires.loopbackWebhooks();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            assertProblem(api.post("/webhooks").bearer(admin).json(Map.of("url", receiver.url("/x"), "events", List.of("user.nonsense"))).send(),
                    400, "InvalidRequest");
            assertProblem(api.post("/webhooks").bearer(admin).json(Map.of("url", receiver.url("/x"), "events", List.of())).send(),
                    400, "InvalidRequest");
            JsonNode created = register(receiver.url("/once"), List.of("user.created"));
            String id = created.path("id").asText();
            ApiResponse list = api.get("/webhooks").bearer(admin).send();
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).contains(id).doesNotContain(created.path("secret").asText()).doesNotContain("secret")
                    .doesNotContain("Ciphertext");

            String userToken = TestUsers.confirmed("hooks-user").login().accessToken();
            assertThat(api.get("/webhooks").bearer(userToken).send().status()).isEqualTo(403);
            assertThat(api.post("/webhooks").bearer(userToken).json(Map.of("url", receiver.url("/u"), "events", List.of("user.created")))
                    .send().status()).isEqualTo(403);

            assertThat(api.delete("/webhooks/" + id).bearer(admin).send().status()).isEqualTo(204);
            assertProblem(api.delete("/webhooks/" + id).bearer(admin).send(), 404, "NotFound");
            assertProblem(api.get("/webhooks/" + id + "/deliveries").bearer(admin).send(), 404, "NotFound");
            assertThat(api.get("/webhooks").bearer(admin).send().body()).doesNotContain(id);
        }
    }
}
