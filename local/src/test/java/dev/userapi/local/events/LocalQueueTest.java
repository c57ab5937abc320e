package dev.userapi.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local SQS, bus and KMS semantics the webhook delivery relies on, on a clock the test moves. */
class LocalQueueTest {
    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();

    private LocalQueue queue(String name, Optional<Path> store) {
        return new LocalQueue(name, "arn:aws:sqs:us-east-1:123456789012:" + name, "http://127.0.0.1/" + name, Duration.ofSeconds(360), clock, store);
    }

    @Test
    void delayedMessage_isInvisibleUntilItsDelayPassed() {
        LocalQueue q = queue("q", Optional.empty());
        q.send("later", Duration.ofSeconds(10));
        q.send("now", Duration.ZERO);
        assertThat(q.receive(10)).extracting(LocalQueue.Message::body).containsExactly("now");
        clock.advance(Duration.ofSeconds(9));
        assertThat(q.receive(10)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(q.receive(10)).extracting(LocalQueue.Message::body).containsExactly("later");
    }

    @Test
    void receivedButNotDeleted_comesBackAfterTheVisibilityTimeout_thenGoesToTheDeadLetterQueue() {
        LocalQueue dlq = queue("dlq", Optional.empty());
        LocalQueue q = queue("q", Optional.empty());
        q.redrive(dlq, 2);
        q.send("poison", Duration.ZERO);
        assertThat(q.receive(1)).extracting(LocalQueue.Message::receiveCount).containsExactly(1);
        clock.advance(Duration.ofSeconds(359));
        assertThat(q.receive(1)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(q.receive(1)).extracting(LocalQueue.Message::receiveCount).containsExactly(2);
        clock.advance(Duration.ofSeconds(360));
        assertThat(q.receive(1)).isEmpty();
        assertThat(q.messages()).isEmpty();
        assertThat(dlq.messages()).extracting(LocalQueue.Message::body).containsExactly("poison");
    }

    @Test
    void deleted_isGone() {
        LocalQueue q = queue("q", Optional.empty());
        q.send("a", Duration.ZERO);
        q.delete(q.receive(1).get(0).id());
        clock.advance(Duration.ofHours(1));
        assertThat(q.receive(10)).isEmpty();
    }

    @Test
    void aPersistentQueue_keepsItsPendingMessagesAcrossARestart(@TempDir Path dir) {
        Path file = dir.resolve("queues/DeliveryQueue.json");
        LocalQueue before = queue("DeliveryQueue", Optional.of(file));
        before.send("{\"kind\":\"attempt\"}", Duration.ofSeconds(60));
        LocalQueue after = queue("DeliveryQueue", Optional.of(file));
        assertThat(after.messages()).extracting(LocalQueue.Message::body).containsExactly("{\"kind\":\"attempt\"}");
        clock.advance(Duration.ofSeconds(60));
        assertThat(after.receive(1)).hasSize(1);
    }

    @Test
    void bus_sendsTheEnvelopeToTheQueuesOfMatchingRules() throws Exception {
        LocalQueue target = queue("target", Optional.empty());
        LocalQueue other = queue("other", Optional.empty());
        LocalEventBus bus = new LocalEventBus("bus", "us-east-1", "123456789012");
        bus.addRule(new LocalEventBus.Rule("ours", Map.of("source", List.of("dev.userapi")), List.of(target)));
        bus.addRule(new LocalEventBus.Rule("deletes", Map.of("source", List.of("dev.userapi"), "detail-type", List.of("user.deleted"),
                "detail", Map.of("type", List.of("user.deleted"))), List.of(other)));
        bus.put("dev.userapi", "user.created", "{\"id\":\"evt_1\",\"type\":\"user.created\"}", Instant.parse("2026-12-02T10:00:00Z"));
        bus.put("someone.else", "user.created", "{}", Instant.now());
        assertThat(other.messages()).isEmpty();
        assertThat(target.messages()).hasSize(1);
        JsonNode envelope = Json.readTree(target.messages().get(0).body());
        assertThat(envelope.path("source").asText()).isEqualTo("dev.userapi");
        assertThat(envelope.path("detail-type").asText()).isEqualTo("user.created");
        assertThat(envelope.path("detail").path("id").asText()).isEqualTo("evt_1");
        bus.put("dev.userapi", "user.deleted", "{\"type\":\"user.deleted\"}", Instant.now());
        assertThat(other.messages()).hasSize(1);
    }

    @Test
    void kms_decryptsOnlyWithTheSameContext_andKeepsItsKeyForAPersistentStack(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("kms/WebhookKey.key");
        LocalKms kms = new LocalKms("arn:aws:kms:us-east-1:123456789012:key/local-WebhookKey", Optional.of(keyFile));
        byte[] blob = kms.encrypt("whsec_x".getBytes(StandardCharsets.UTF_8), Map.of("webhookId", "wh_1"));
        assertThat(new String(kms.decrypt(blob, Map.of("webhookId", "wh_1")), StandardCharsets.UTF_8)).isEqualTo("whsec_x");
        assertThatThrownBy(() -> kms.decrypt(blob, Map.of("webhookId", "wh_2"))).isInstanceOf(LocalKms.InvalidCiphertext.class);
        LocalKms restarted = new LocalKms("arn:aws:kms:us-east-1:123456789012:key/local-WebhookKey", Optional.of(keyFile));
        assertThat(new String(restarted.decrypt(blob, Map.of("webhookId", "wh_1")), StandardCharsets.UTF_8)).isEqualTo("whsec_x");
    }
}
