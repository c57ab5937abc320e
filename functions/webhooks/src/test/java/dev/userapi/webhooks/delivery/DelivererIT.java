package dev.userapi.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.testing.DynamoDbLocalExtension;
import dev.userapi.core.testing.MovableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deliverer on the real delivery state (DynamoDB Local): what a queue message that comes again finds after a crash
 * between taking an attempt and recording it, and what a replay racing an automatic attempt leaves.
 */
class DelivererIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"user.created\",\"at\":\"2026-12-02T10:00:00Z\",\"data\":{}}";

    private final MovableClock clock = new MovableClock(T0);
    private final List<AttemptMessage> queued = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();
    private WebhookRepository repository;
    private boolean kmsDown;
    private boolean sqsDown;
    private int status = 200;
    private String deliveryId;

    @BeforeEach
    void delivery() {
        repository = new WebhookRepository(DYNAMO.client(), DYNAMO.newUsersTable(), clock);
        repository.putWebhook(new Webhook("wh_1", "https://hooks.example.com/in", List.of("user.created"), Optional.empty(), T0, "cipher"));
        deliveryId = Deliverer.deliveryId("wh_1", "evt_1");
        repository.createDelivery(new Delivery("wh_1", deliveryId, "evt_1", "user.created", BODY, Delivery.PENDING, 0));
    }

    private Deliverer deliverer(int maxAttempts) {
        SecretCipher cipher = new SecretCipher() {
            @Override
            public String encrypt(String webhookId, String secret) {
                return "cipher";
            }

            @Override
            public String decrypt(String webhookId, String ciphertext) {
                if (kmsDown) {
                    throw new IllegalStateException("KMS unavailable");
                }
                return "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
            }
        };
        WebhookSender sender = new WebhookSender() {
            @Override
            public Result send(AddressGuard.Target target, Map<String, String> headers, String body, Duration budget) {
                sent.add(headers.get("webhook-id"));
                return new Result(status, null);
            }
        };
        DeliveryQueue queue = (message, delay) -> {
            if (sqsDown) {
                throw new IllegalStateException("SQS unavailable");
            }
            queued.add(message);
        };
        AddressGuard guard = new AddressGuard(false, host -> new InetAddress[] {InetAddress.getByName("93.184.215.14")});
        return new Deliverer(repository, cipher, guard, sender, queue, clock, Duration.ofSeconds(10), maxAttempts);
    }

    private Delivery stored() {
        return repository.findDelivery("wh_1", deliveryId).orElseThrow();
    }

    @Test
    void kmsFailingAfterTheAttemptIsTaken_theMessageThatComesAgainMakesTheAttempt_onceTheLeaseHasPassed() {
        AttemptMessage first = new AttemptMessage("wh_1", deliveryId, 1, false);
        kmsDown = true;
        assertThatThrownBy(() -> deliverer(3).attempt(first)).hasMessageContaining("KMS");
        kmsDown = false;

        clock.set(T0.plusSeconds(30)); // a duplicate while the first taker may still be working: not made twice
        deliverer(3).attempt(first);
        assertThat(sent).isEmpty();

        clock.set(T0.plus(Deliverer.LEASE).plusSeconds(1)); // the message back after the visibility timeout
        deliverer(3).attempt(first);
        assertThat(sent).containsExactly("evt_1");
        assertThat(stored().status()).isEqualTo(Delivery.SUCCEEDED);
        assertThat(stored().attempts()).isEqualTo(1);

        deliverer(3).attempt(first); // recorded: a later copy finds it made
        assertThat(sent).hasSize(1);
    }

    @Test
    void sqsFailingAfterAFailedAttempt_theAttemptIsMadeAgain_andItsRetryQueued_neverStuckRetrying() {
        status = 500;
        AttemptMessage first = new AttemptMessage("wh_1", deliveryId, 1, false);
        sqsDown = true;
        assertThatThrownBy(() -> deliverer(3).attempt(first)).hasMessageContaining("SQS");
        sqsDown = false;

        clock.set(T0.plus(Deliverer.LEASE).plusSeconds(1));
        deliverer(3).attempt(first);
        assertThat(queued).containsExactly(new AttemptMessage("wh_1", deliveryId, 2, false));
        assertThat(stored().status()).isEqualTo(Delivery.RETRYING);

        status = 200;
        deliverer(3).attempt(queued.get(0));
        assertThat(stored().status()).isEqualTo(Delivery.SUCCEEDED);
        assertThat(sent).containsExactly("evt_1", "evt_1", "evt_1");
    }

    @Test
    void anOlderAttemptFinishingAfterAReplay_doesNotOverwriteTheReplaysOutcome() {
        Instant lease = T0.plus(Deliverer.LEASE);
        assertThat(repository.claim("wh_1", deliveryId, 1, false, lease)).isTrue(); // automatic attempt 1 in flight
        assertThat(repository.claim("wh_1", deliveryId, 2, true, lease)).isTrue(); // the retry route's replay

        assertThat(repository.recordAttempt("wh_1", new Attempt(deliveryId, "evt_1", "user.created", 2, Attempt.SUCCEEDED, 200,
                T0.plusSeconds(1)), Delivery.SUCCEEDED)).isTrue();
        assertThat(repository.recordAttempt("wh_1", new Attempt(deliveryId, "evt_1", "user.created", 1, Attempt.FAILED, 500,
                T0.plusSeconds(2)), Delivery.RETRYING)).isFalse();

        assertThat(stored().status()).isEqualTo(Delivery.SUCCEEDED);
        assertThat(repository.attempts("wh_1", 10, Optional.empty()).items()).extracting(Attempt::attempt).containsExactly(1, 2);
    }

    @Test
    void aDuplicateMessageOfARecordedAttempt_isDropped_andAReplayOfADeadDeliveryIsMade() {
        status = 500;
        deliverer(1).attempt(new AttemptMessage("wh_1", deliveryId, 1, false));
        assertThat(stored().status()).isEqualTo(Delivery.DEAD);
        clock.set(T0.plus(Deliverer.LEASE).plusSeconds(1));
        deliverer(1).attempt(new AttemptMessage("wh_1", deliveryId, 1, false));
        assertThat(sent).hasSize(1);

        status = 200;
        deliverer(1).attempt(new AttemptMessage("wh_1", deliveryId, 2, true));
        assertThat(stored().status()).isEqualTo(Delivery.SUCCEEDED);
        assertThat(sent).hasSize(2);
    }
}
