package dev.userapi.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.problem.ServiceUnavailableException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Webhook and attempt items read strictly: what every write puts must be there and parse, or the read is a 503. */
class WebhookItemsTest {
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

    private static Map<String, AttributeValue> webhookItem() {
        return Map.of("pk", Attr.s("WEBHOOKS"), "sk", Attr.s("WEBHOOK#w-1"), "id", Attr.s("w-1"), "url", Attr.s("https://hooks.example.com/"),
                "events", Attr.list(List.of("user.created")), "createdAt", Attr.s(AT.toString()), "secretCiphertext", Attr.s("sealed"));
    }

    private static Map<String, AttributeValue> attemptItem() {
        return Map.of("pk", Attr.s("WEBHOOK#w-1"), "sk", Attr.s("ATTEMPT#x"), "deliveryId", Attr.s("d-1"), "eventId", Attr.s("e-1"),
                "type", Attr.s("user.created"), "attempt", Attr.n(1), "status", Attr.s("DELIVERED"), "at", Attr.s(AT.toString()));
    }

    private static Map<String, AttributeValue> without(Map<String, AttributeValue> item, String name, AttributeValue instead) {
        Map<String, AttributeValue> copy = new HashMap<>(item);
        if (instead == null) {
            copy.remove(name);
        } else {
            copy.put(name, instead);
        }
        return copy;
    }

    @Test
    void itemsAsWritten_readBack() {
        assertThat(WebhookRepository.webhook(webhookItem()).id()).isEqualTo("w-1");
        assertThat(WebhookRepository.attempt(attemptItem()).at()).isEqualTo(AT);
    }

    @Test
    void aWebhookWithoutWhatEveryPutWrites_orWithAnUnparsableCreationTime_is503() {
        for (String name : List.of("id", "url", "createdAt", "secretCiphertext")) {
            assertThatThrownBy(() -> WebhookRepository.webhook(without(webhookItem(), name, null))).as(name)
                    .isInstanceOf(ServiceUnavailableException.class);
        }
        assertThatThrownBy(() -> WebhookRepository.webhook(without(webhookItem(), "createdAt", Attr.s("then"))))
                .isInstanceOf(ServiceUnavailableException.class);
    }

    @Test
    void anAttemptWithoutWhatEveryWritePuts_orWithACountBeyondAnInt_is503() {
        for (String name : List.of("deliveryId", "eventId", "type", "attempt", "status", "at")) {
            assertThatThrownBy(() -> WebhookRepository.attempt(without(attemptItem(), name, null))).as(name)
                    .isInstanceOf(ServiceUnavailableException.class);
        }
        assertThatThrownBy(() -> WebhookRepository.attempt(without(attemptItem(), "attempt", AttributeValue.fromN("99999999999"))))
                .isInstanceOf(ServiceUnavailableException.class);
        assertThatThrownBy(() -> WebhookRepository.attempt(without(attemptItem(), "responseStatus", AttributeValue.fromN("2.5"))))
                .isInstanceOf(ServiceUnavailableException.class);
    }
}
