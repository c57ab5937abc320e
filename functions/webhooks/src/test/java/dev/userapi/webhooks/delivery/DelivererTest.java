package dev.userapi.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class DelivererTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"user.created\",\"at\":\"2026-12-02T10:00:00Z\",\"data\":{}}";

    private final WebhookRepository repository = mock(WebhookRepository.class);
    private final SecretCipher cipher = mock(SecretCipher.class);
    private final List<String> answers = new ArrayList<>();
    private final List<AttemptMessage> queued = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final List<Map<String, String>> sentHeaders = new ArrayList<>();
    private final List<Duration> budgets = new ArrayList<>();
    private boolean sqsDown;
    private String dnsAnswer = "93.184.215.14";
    private int status = 200;

    private Deliverer deliverer(int maxAttempts) {
        AddressGuard guard = new AddressGuard(false, host -> new InetAddress[] {InetAddress.getByName(dnsAnswer)});
        WebhookSender sender = new WebhookSender() {
            @Override
            public Result send(AddressGuard.Target target, Map<String, String> headers, String body, Duration budget) {
                budgets.add(budget);
                answers.add(target.address().getHostAddress());
                sentHeaders.add(headers);
                return new Result(status, null);
            }
        };
        DeliveryQueue queue = (message, delay) -> {
            if (sqsDown) {
                throw new IllegalStateException("SQS unavailable");
            }
            queued.add(message);
            delays.add(delay);
        };
        return new Deliverer(repository, cipher, guard, sender, queue, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(10), maxAttempts);
    }

    @BeforeEach
    void webhook() {
        when(repository.findWebhook("wh_1")).thenReturn(Optional.of(new Webhook("wh_1", "https://hooks.example.com/in", List.of("user.created"),
                Optional.empty(), NOW, "cipher")));
        when(repository.findDelivery("wh_1", "dlv_1")).thenReturn(Optional.of(new Delivery("wh_1", "dlv_1", "evt_1", "user.created", BODY,
                Delivery.PENDING, 0)));
        when(repository.claim(anyString(), anyString(), anyInt(), anyBoolean(), any(Instant.class))).thenReturn(true);
        when(repository.recordAttempt(anyString(), any(Attempt.class), anyString())).thenReturn(true);
        when(cipher.decrypt("wh_1", "cipher")).thenReturn(SECRET);
    }

    @Test
    void backoff_startsAtTheBase_growsSixfold_capsAt15Minutes() {
        Duration base = Duration.ofSeconds(10);
        assertThat(List.of(1, 2, 3, 4, 5, 9).stream().map(n -> Deliverer.backoff(base, n).toSeconds()).toList())
                .containsExactly(10L, 60L, 360L, 900L, 900L, 900L);
        assertThat(Deliverer.backoff(Duration.ZERO, 3)).isZero();
    }

    @Test
    void success_isSignedWithTheDecryptedSecret_andRecorded() {
        deliverer(3).attempt(new AttemptMessage("wh_1", "dlv_1", 1, false));
        assertThat(sentHeaders).hasSize(1);
        assertThat(sentHeaders.get(0)).containsEntry("webhook-id", "evt_1").containsEntry("webhook-timestamp", String.valueOf(NOW.getEpochSecond()))
                .containsEntry("webhook-signature", Signer.signature(SECRET, "evt_1", NOW.getEpochSecond(), BODY));
        ArgumentCaptor<Attempt> attempt = ArgumentCaptor.forClass(Attempt.class);
        verify(repository).recordAttempt(eq("wh_1"), attempt.capture(), eq(Delivery.SUCCEEDED));
        assertThat(attempt.getValue().status()).isEqualTo("succeeded");
        assertThat(attempt.getValue().responseStatus()).isEqualTo(200);
        assertThat(queued).isEmpty();
    }

    @Test
    void failure_queuesTheNextAttemptAfterTheBackoff_untilTheLastWhichIsDead() {
        status = 500;
        deliverer(3).attempt(new AttemptMessage("wh_1", "dlv_1", 1, false));
        assertThat(queued).containsExactly(new AttemptMessage("wh_1", "dlv_1", 2, false));
        assertThat(delays).containsExactly(Duration.ofSeconds(10));
        verify(repository).recordAttempt(eq("wh_1"), any(Attempt.class), eq(Delivery.RETRYING));

        deliverer(3).attempt(new AttemptMessage("wh_1", "dlv_1", 3, false));
        ArgumentCaptor<Attempt> attempt = ArgumentCaptor.forClass(Attempt.class);
        verify(repository).recordAttempt(eq("wh_1"), attempt.capture(), eq(Delivery.DEAD));
        assertThat(attempt.getValue().status()).isEqualTo("dead");
        assertThat(attempt.getValue().attempt()).isEqualTo(3);
        assertThat(queued).hasSize(1);
    }

    @Test
    void anAttemptAlreadyTaken_isNotMadeTwice() {
        when(repository.claim("wh_1", "dlv_1", 2, false, NOW.plus(Deliverer.LEASE))).thenReturn(false);
        deliverer(3).attempt(new AttemptMessage("wh_1", "dlv_1", 2, false));
        assertThat(sentHeaders).isEmpty();
        verify(repository, never()).recordAttempt(anyString(), any(), anyString());
    }

    @Test
    void theAttemptIsTakenWithALease_longerThanTheFunctionRuns_andTheSendIsBoundedWithTheDnsLookupInside() {
        deliverer(3).attempt(new AttemptMessage("wh_1", "dlv_1", 1, false));
        verify(repository).claim("wh_1", "dlv_1", 1, false, NOW.plus(Deliverer.LEASE));
        assertThat(budgets).hasSize(1);
        assertThat(budgets.get(0)).isPositive().isLessThanOrEqualTo(Deliverer.SEND_BOUND);
    }

    @Test
    void kmsFailingAfterTheAttemptIsTaken_throws_soTheMessageComesAgain_andNothingIsRecordedOrSent() {
        when(cipher.decrypt("wh_1", "cipher")).thenThrow(new IllegalStateException("KMS unavailable"));
        assertThatThrownBy(() -> deliverer(3).attempt(new AttemptMessage("wh_1", "dlv_1", 1, false))).hasMessageContaining("KMS");
        assertThat(sentHeaders).isEmpty();
        verify(repository, never()).recordAttempt(anyString(), any(), anyString());
        assertThat(queued).isEmpty();
    }

    @Test
    void sqsFailingToQueueTheRetry_throwsBeforeTheAttemptIsRecorded_soTheLeaseStaysAndTheAttemptIsMadeAgain() {
        status = 500;
        sqsDown = true;
        assertThatThrownBy(() -> deliverer(3).attempt(new AttemptMessage("wh_1", "dlv_1", 1, false))).hasMessageContaining("SQS");
        verify(repository, never()).recordAttempt(anyString(), any(), anyString());
    }

    @Test
    void aLookupThatDoesNotAnswerWithinTheBound_isAFailedAttempt_notAHungOne() throws Exception {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        AddressGuard slow = new AddressGuard(false, host -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
        });
        try {
            assertThatThrownBy(() -> slow.check("https://hooks.example.com/in", Duration.ofMillis(50)))
                    .isInstanceOf(AddressGuard.Refused.class).hasMessageContaining("in time");
        } finally {
            never.countDown();
        }
    }

    @Test
    void e34_anAddressThatTurnedPrivate_isRefusedAtDelivery_withoutAConnection() {
        dnsAnswer = "169.254.169.254"; // registered while public; the name now points at the metadata service
        deliverer(3).attempt(new AttemptMessage("wh_1", "dlv_1", 1, false));
        assertThat(answers).isEmpty();
        ArgumentCaptor<Attempt> attempt = ArgumentCaptor.forClass(Attempt.class);
        verify(repository).recordAttempt(eq("wh_1"), attempt.capture(), eq(Delivery.RETRYING));
        assertThat(attempt.getValue().responseStatus()).isNull();
    }

    @Test
    void fanOut_oneDeliveryPerSubscribedWebhook_andNoSecondForTheSameEvent() throws Exception {
        when(repository.listWebhooks()).thenReturn(List.of(
                new Webhook("wh_1", "https://a.example/", List.of("user.created"), Optional.empty(), NOW, "c"),
                new Webhook("wh_2", "https://b.example/", List.of("user.deleted"), Optional.empty(), NOW, "c"),
                new Webhook("wh_3", "https://c.example/", List.of("user.created"), Optional.empty(), NOW, "c")));
        when(repository.createDelivery(any(Delivery.class))).thenAnswer(i -> i.getArgument(0));
        JsonNode event = Json.readTree(BODY);
        deliverer(3).fanOut(event);
        assertThat(queued).extracting(AttemptMessage::webhookId).containsExactly("wh_1", "wh_3");
        assertThat(queued.get(0).deliveryId()).isEqualTo(Deliverer.deliveryId("wh_1", "evt_1")).matches("dlv_[0-9a-f]{32}");

        queued.clear();
        when(repository.createDelivery(any(Delivery.class))).thenAnswer(i -> {
            Delivery d = i.getArgument(0);
            return new Delivery(d.webhookId(), d.id(), d.eventId(), d.type(), d.body(), Delivery.RETRYING, 1);
        });
        deliverer(3).fanOut(event);
        assertThat(queued).isEmpty();
    }
}
