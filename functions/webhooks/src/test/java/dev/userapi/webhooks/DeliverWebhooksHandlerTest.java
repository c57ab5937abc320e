package dev.userapi.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.userapi.webhooks.delivery.AddressGuard;
import dev.userapi.webhooks.delivery.Deliverer;
import dev.userapi.webhooks.delivery.DeliveryQueue;
import dev.userapi.webhooks.delivery.SecretCipher;
import dev.userapi.webhooks.delivery.WebhookRepository;
import dev.userapi.webhooks.delivery.WebhookSender;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliverWebhooksHandlerTest {
    private final WebhookRepository repository = mock(WebhookRepository.class);

    private static SQSEvent.SQSMessage message(String id) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(id);
        m.setBody("{\"kind\":\"attempt\",\"webhookId\":\"wh_1\",\"deliveryId\":\"dlv_1\",\"attempt\":1,\"manual\":false}");
        return m;
    }

    @Test
    void aMessageIsNotStartedWithoutItsBoundLeft_itIsReportedBackInstead() {
        Deliverer deliverer = new Deliverer(repository, mock(SecretCipher.class), new AddressGuard(false, AddressGuard.SYSTEM_DNS),
                new WebhookSender(), mock(DeliveryQueue.class), Clock.systemUTC(), Duration.ofSeconds(10), 3);
        Context context = mock(Context.class);
        when(context.getRemainingTimeInMillis()).thenReturn((int) DeliverWebhooksHandler.MESSAGE_BOUND.toMillis() - 1);
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message("m1"), message("m2")));

        SQSBatchResponse response = new DeliverWebhooksHandler(deliverer).handleRequest(event, context);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1", "m2");
        verifyNoInteractions(repository);
    }

    @Test
    void theDefaultRetrySchedule_putsTheFirstRetryWithin30SecondsOfTheFirstAttempt() {
        WebhookConfig defaults = WebhookConfig.from(Map.of());
        assertThat(Deliverer.backoff(defaults.retryBase(), 1)).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
    }
}
