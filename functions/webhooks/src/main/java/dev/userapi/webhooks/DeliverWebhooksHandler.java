package dev.userapi.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import dev.userapi.core.log.Invocations;
import dev.userapi.core.log.Log;
import dev.userapi.webhooks.delivery.AttemptMessage;
import dev.userapi.webhooks.delivery.Deliverer;
import dev.userapi.webhooks.delivery.WebhookSender;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The delivery queue's consumer. A message is either an event from the bus (the rule's target: the EventBridge
 * envelope, whose {@code detail} is the event) — fanned out to the webhooks subscribed to it — or an
 * {@link AttemptMessage}. A message whose handling failed (DynamoDB, KMS or SQS unavailable) is reported back
 * ({@code ReportBatchItemFailures}) and comes again after the visibility timeout; after the queue's
 * {@code maxReceiveCount} it goes to the dead-letter queue. A receiver's failure is not such a failure: it is recorded
 * and retried by the deliverer's own backoff. A message is only started while the invocation has
 * {@link #MESSAGE_BOUND} left; the rest of the batch is reported back rather than cut off by the timeout
 * (template.yaml's BatchSize × MESSAGE_BOUND fits in the function's Timeout, so this is the exception).
 */
public final class DeliverWebhooksHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.of(DeliverWebhooksHandler.class);
    /** The most one message takes: the send's bound and the DynamoDB, KMS and SQS calls around it. */
    public static final Duration MESSAGE_BOUND = Deliverer.SEND_BOUND.plusSeconds(10);

    private final Deliverer deliverer;
    private final Invocations invocations = new Invocations();

    /** Used by the Lambda runtime: wired from the process environment. */
    public DeliverWebhooksHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once. */
    public DeliverWebhooksHandler(Map<String, String> env) {
        this(WebhookComponents.from(env));
    }

    private DeliverWebhooksHandler(WebhookComponents c) {
        this(new Deliverer(c.repository(), c.cipher(), c.guard(), new WebhookSender(), c.queue(), c.clock(),
                c.webhooks().retryBase(), c.webhooks().maxAttempts()));
    }

    DeliverWebhooksHandler(Deliverer deliverer) {
        this.deliverer = deliverer;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        try (Log.Scope scope = invocations.enter(context)) {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage message : event == null || event.getRecords() == null ? List.<SQSEvent.SQSMessage>of() : event.getRecords()) {
                if (context != null && context.getRemainingTimeInMillis() < MESSAGE_BOUND.toMillis()) {
                    LOG.warn("no time left for this message; it comes again", "messageId", message.getMessageId());
                    failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
                    continue;
                }
                try {
                    handle(message);
                } catch (RuntimeException e) {
                    LOG.warn("delivery message failed; it comes again", e, "messageId", message.getMessageId());
                    failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
                }
            }
            return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
        }
    }

    private void handle(SQSEvent.SQSMessage message) {
        JsonNode body;
        try {
            body = Json.readTree(message.getBody() == null ? "" : message.getBody());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            LOG.warn("message dropped: not JSON", "messageId", message.getMessageId());
            return;
        }
        if (body.has("detail-type") && body.path("detail").isObject()) {
            deliverer.fanOut(body.get("detail"));
            return;
        }
        Optional<AttemptMessage> attempt = AttemptMessage.from(body);
        if (attempt.isPresent()) {
            deliverer.attempt(attempt.get());
        } else {
            LOG.warn("message dropped: neither an event nor an attempt", "messageId", message.getMessageId());
        }
    }
}
