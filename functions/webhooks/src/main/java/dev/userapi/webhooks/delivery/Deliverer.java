package dev.userapi.webhooks.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import dev.userapi.core.log.Log;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Delivers events to webhooks, at least once. An event from the bus is fanned out: one delivery per webhook
 * subscribed to its type (its id derived from the webhook and the event, so the same event again makes no second
 * delivery) and a queue message for its first attempt. An attempt checks the URL again (resolving once, connecting to
 * that address), signs (Standard Webhooks) and POSTs; a 2xx succeeds; otherwise the next attempt is queued after
 * {@link #backoff} until {@code maxAttempts}, when the delivery is dead. Every attempt is recorded. A replay (the
 * retry route) is one more attempt, whatever the delivery's state.
 */
public final class Deliverer {
    private static final Log LOG = Log.of(Deliverer.class);
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    /** An attempt's DNS lookup, connection and exchange together (the receiver's whole time). */
    public static final Duration SEND_BOUND = WebhookSender.TIMEOUT;
    /**
     * How long a taken attempt stays taken without being recorded: more than the delivery function's timeout (so a
     * live attempt is never made twice) and less than the queue's visibility timeout (so the message that comes back
     * after a crash finds the lease passed). TemplateWiringTest checks both against template.yaml.
     */
    public static final Duration LEASE = Duration.ofMinutes(2);

    private final WebhookRepository repository;
    private final SecretCipher cipher;
    private final AddressGuard guard;
    private final WebhookSender sender;
    private final DeliveryQueue queue;
    private final Clock clock;
    private final Duration retryBase;
    private final int maxAttempts;

    public Deliverer(WebhookRepository repository, SecretCipher cipher, AddressGuard guard, WebhookSender sender, DeliveryQueue queue,
                     Clock clock, Duration retryBase, int maxAttempts) {
        this.repository = repository;
        this.cipher = cipher;
        this.guard = guard;
        this.sender = sender;
        this.queue = queue;
        this.clock = clock;
        this.retryBase = retryBase;
        this.maxAttempts = maxAttempts;
    }

    /** The wait before attempt {@code failed + 1}: base, then 6× longer each time, at most 15 minutes (SQS's longest delay). */
    public static Duration backoff(Duration base, int failed) {
        Duration delay = base;
        for (int i = 1; i < failed && delay.compareTo(MAX_DELAY) < 0; i++) {
            delay = delay.multipliedBy(6);
        }
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }

    public static String deliveryId(String webhookId, String eventId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((webhookId + "\n" + eventId).getBytes(StandardCharsets.UTF_8));
            return "dlv_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An event from the bus ({@code {id, type, at, data}}): one delivery per subscribed webhook. */
    public void fanOut(JsonNode event) {
        String eventId = event.path("id").asText("");
        String type = event.path("type").asText("");
        if (eventId.isEmpty() || type.isEmpty()) {
            LOG.warn("event without id or type dropped");
            return;
        }
        String body = Json.write(event);
        for (Webhook webhook : repository.listWebhooks()) {
            if (!webhook.subscribes(type)) {
                continue;
            }
            Delivery delivery = repository.createDelivery(new Delivery(webhook.id(), deliveryId(webhook.id(), eventId), eventId, type, body,
                    Delivery.PENDING, 0));
            if (delivery.attempts() == 0 && Delivery.PENDING.equals(delivery.status())) {
                queue.sendAttempt(new AttemptMessage(webhook.id(), delivery.id(), 1, false), Duration.ZERO);
            }
        }
    }

    /**
     * Makes one attempt, if it is still to be made. The attempt is taken with a {@link #LEASE}; until it is recorded,
     * anything that throws here (DynamoDB, KMS or SQS unavailable; the function timing out) leaves the lease, the queue
     * message comes again and, the lease passed, makes the attempt again: at least once, never stuck. The next attempt
     * is queued before this one is recorded for the same reason (a crash in between repeats this attempt; the next
     * one's duplicate message finds it taken).
     */
    public void attempt(AttemptMessage message) {
        Optional<Webhook> webhook = repository.findWebhook(message.webhookId());
        Optional<Delivery> found = repository.findDelivery(message.webhookId(), message.deliveryId());
        if (webhook.isEmpty() || found.isEmpty()) {
            LOG.info("attempt dropped: webhook or delivery gone", "webhookId", message.webhookId(), "deliveryId", message.deliveryId());
            return;
        }
        if (!repository.claim(message.webhookId(), message.deliveryId(), message.attempt(), message.manual(), clock.instant().plus(LEASE))) {
            LOG.info("attempt already made or in flight", "deliveryId", message.deliveryId(), "attempt", message.attempt());
            return;
        }
        Delivery delivery = found.get();
        String secret = cipher.decrypt(webhook.get().id(), webhook.get().secretCiphertext());
        WebhookSender.Result result;
        long start = System.nanoTime();
        try {
            AddressGuard.Target target = guard.check(webhook.get().url(), SEND_BOUND);
            Duration left = SEND_BOUND.minusNanos(System.nanoTime() - start);
            result = sender.send(target, Signer.headers(secret, delivery.eventId(), clock.instant().getEpochSecond(), delivery.body()),
                    delivery.body(), left);
        } catch (AddressGuard.Refused e) {
            result = new WebhookSender.Result(null, "address refused");
        }
        Instant at = clock.instant();
        boolean last = message.manual() || message.attempt() >= maxAttempts;
        String status = result.success() ? Attempt.SUCCEEDED : last ? Attempt.DEAD : Attempt.FAILED;
        String deliveryStatus = result.success() ? Delivery.SUCCEEDED : last ? Delivery.DEAD : Delivery.RETRYING;
        if (Attempt.FAILED.equals(status)) {
            queue.sendAttempt(new AttemptMessage(message.webhookId(), delivery.id(), message.attempt() + 1, false),
                    backoff(retryBase, message.attempt()));
        }
        boolean latest = repository.recordAttempt(message.webhookId(), new Attempt(delivery.id(), delivery.eventId(), delivery.type(),
                message.attempt(), status, result.status(), at), deliveryStatus);
        LOG.info("webhook attempt", "webhookId", message.webhookId(), "deliveryId", delivery.id(), "attempt", message.attempt(),
                "status", status, "responseStatus", result.status(), "error", result.error(), "latest", latest);
    }
}
