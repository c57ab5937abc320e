package dev.userapi.webhooks.events;

import dev.userapi.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * {@code PutEvents} on the custom bus, at most 10 entries a call: source {@value #SOURCE}, detail-type the event type,
 * detail the event ({@code {id, type, at, data}}). Other AWS services subscribe with rules on these.
 */
public final class EventBridgeBus implements EventBus {
    public static final String SOURCE = "dev.userapi";
    private static final int BATCH = 10;

    private final EventBridgeClient client;
    private final String busName;

    public EventBridgeBus(EventBridgeClient client, String busName) {
        this.client = client;
        this.busName = busName;
    }

    @Override
    public void put(List<LifecycleEvent> events) {
        for (int from = 0; from < events.size(); from += BATCH) {
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (LifecycleEvent event : events.subList(from, Math.min(events.size(), from + BATCH))) {
                entries.add(PutEventsRequestEntry.builder()
                        .eventBusName(busName)
                        .source(SOURCE)
                        .detailType(event.type())
                        .time(event.at())
                        .detail(Json.write(event.toJson()))
                        .build());
            }
            PutEventsResponse response = client.putEvents(r -> r.entries(entries));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                throw new IllegalStateException("EventBridge refused " + response.failedEntryCount() + " of " + entries.size() + " events");
            }
        }
    }
}
