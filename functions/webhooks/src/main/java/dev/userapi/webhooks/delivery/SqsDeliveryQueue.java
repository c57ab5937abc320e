package dev.userapi.webhooks.delivery;

import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code SendMessage} to the delivery queue, the delay as {@code DelaySeconds} (at most 900, SQS's limit). */
public final class SqsDeliveryQueue implements DeliveryQueue {
    static final long MAX_DELAY_SECONDS = 900;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsDeliveryQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void sendAttempt(AttemptMessage message, Duration delay) {
        int seconds = (int) Math.min(MAX_DELAY_SECONDS, Math.max(0, delay.toSeconds()));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toJson()).delaySeconds(seconds));
    }
}
