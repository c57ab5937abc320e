package dev.userapi.webhooks.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * "Make attempt {@code attempt} of delivery {@code deliveryId} to webhook {@code webhookId}": the queue message of a
 * first attempt, a retry (sent with the backoff as its delay) or a replay ({@code manual}, the retry route).
 */
public record AttemptMessage(String webhookId, String deliveryId, int attempt, boolean manual) {
    static final String KIND = "attempt";

    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", KIND);
        json.put("webhookId", webhookId);
        json.put("deliveryId", deliveryId);
        json.put("attempt", attempt);
        json.put("manual", manual);
        return Json.write(json);
    }

    /** The message, if {@code node} is one. */
    public static Optional<AttemptMessage> from(JsonNode node) {
        if (!KIND.equals(node.path("kind").asText()) || !node.path("webhookId").isTextual() || !node.path("deliveryId").isTextual()
                || !node.path("attempt").canConvertToInt() || node.path("attempt").asInt() < 1) {
            return Optional.empty();
        }
        return Optional.of(new AttemptMessage(node.get("webhookId").asText(), node.get("deliveryId").asText(), node.get("attempt").asInt(),
                node.path("manual").asBoolean(false)));
    }
}
