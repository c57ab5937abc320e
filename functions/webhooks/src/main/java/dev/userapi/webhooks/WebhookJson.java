package dev.userapi.webhooks;

import dev.userapi.webhooks.delivery.Attempt;
import dev.userapi.webhooks.delivery.Webhook;
import java.util.LinkedHashMap;
import java.util.Map;

/** The routes' JSON shapes (docs/openapi.yaml): never a secret or its ciphertext. */
final class WebhookJson {
    private WebhookJson() {
    }

    static Map<String, Object> of(Webhook webhook) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", webhook.id());
        json.put("url", webhook.url());
        json.put("events", webhook.events());
        webhook.description().ifPresent(d -> json.put("description", d));
        json.put("createdAt", webhook.createdAt().toString());
        return json;
    }

    static Map<String, Object> of(Attempt attempt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", attempt.deliveryId());
        json.put("eventId", attempt.eventId());
        json.put("type", attempt.type());
        json.put("attempt", attempt.attempt());
        json.put("status", attempt.status());
        if (attempt.responseStatus() != null) {
            json.put("responseStatus", attempt.responseStatus());
        }
        json.put("at", attempt.at().toString());
        return json;
    }
}
