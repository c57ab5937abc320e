package dev.userapi.webhooks.delivery;

import java.time.Duration;

/** The queue of delivery attempts (SQS): an attempt message, delivered after {@code delay}. */
public interface DeliveryQueue {
    void sendAttempt(AttemptMessage message, Duration delay);
}
