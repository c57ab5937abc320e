package dev.userapi.webhooks.events;

import java.util.List;

/** Where the publisher puts events: the EventBridge custom bus ({@link EventBridgeBus}). */
public interface EventBus {
    /** Puts every event, in order; throws if any was not accepted (the stream record is then retried). */
    void put(List<LifecycleEvent> events);
}
