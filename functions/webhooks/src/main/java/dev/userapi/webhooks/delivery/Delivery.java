package dev.userapi.webhooks.delivery;

/**
 * One event's delivery to one webhook: the event as sent ({@code body}), how many attempts were made and where it
 * stands: {@code pending}, {@code retrying}, {@code succeeded} or {@code dead} (no attempt left).
 */
public record Delivery(String webhookId, String id, String eventId, String type, String body, String status, int attempts) {
    public static final String PENDING = "pending";
    public static final String RETRYING = "retrying";
    public static final String SUCCEEDED = "succeeded";
    public static final String DEAD = "dead";
}
