package dev.userapi.webhooks.delivery;

import java.time.Instant;

/**
 * One attempt, as {@code GET /webhooks/{id}/deliveries} lists it: {@code status} is {@code succeeded}, {@code failed}
 * (another attempt follows) or {@code dead} (the last attempt failed); {@code responseStatus} is absent when the
 * receiver gave none (refused address, connection failure, timeout).
 */
public record Attempt(String deliveryId, String eventId, String type, int attempt, String status, Integer responseStatus, Instant at) {
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String DEAD = "dead";
}
