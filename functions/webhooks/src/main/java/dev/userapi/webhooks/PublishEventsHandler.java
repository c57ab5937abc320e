package dev.userapi.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.userapi.core.log.Invocations;
import dev.userapi.core.log.Log;
import dev.userapi.webhooks.events.ChangeMapper;
import dev.userapi.webhooks.events.EventBus;
import dev.userapi.webhooks.events.LifecycleEvent;
import dev.userapi.webhooks.events.StreamRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The users table's stream (NEW_AND_OLD_IMAGES) → lifecycle events on the custom bus: the one source of events
 * ({@link ChangeMapper}). Records are handled in order; when one cannot be published, it and every later record of the
 * batch are reported as failures ({@code ReportBatchItemFailures}: Lambda retries from the first one), so the order per
 * item and so per user holds. A record published twice gives the same event ids.
 */
public final class PublishEventsHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private static final Log LOG = Log.of(PublishEventsHandler.class);

    private final EventBus bus;
    private final Invocations invocations = new Invocations();

    /** Used by the Lambda runtime: wired from the process environment. */
    public PublishEventsHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once. */
    public PublishEventsHandler(Map<String, String> env) {
        this(WebhookComponents.from(env).bus());
    }

    PublishEventsHandler(EventBus bus) {
        this.bus = bus;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        try (Log.Scope scope = invocations.enter(context)) {
            List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
            List<DynamodbEvent.DynamodbStreamRecord> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
            int published = 0;
            for (DynamodbEvent.DynamodbStreamRecord record : records) {
                if (!failures.isEmpty()) {
                    failures.add(failure(record));
                    continue;
                }
                try {
                    List<LifecycleEvent> events = ChangeMapper.map(StreamRecords.change(record));
                    if (!events.isEmpty()) {
                        bus.put(events);
                        published += events.size();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("stream record not published; retried from here", e, "eventID", record.getEventID());
                    failures.add(failure(record));
                }
            }
            LOG.info("stream batch", "records", records.size(), "events", published, "failed", failures.size());
            return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
        }
    }

    private static StreamsEventResponse.BatchItemFailure failure(DynamodbEvent.DynamodbStreamRecord record) {
        return StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(record.getDynamodb().getSequenceNumber()).build();
    }
}
