package dev.userapi.webhooks.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One lifecycle event as receivers see it: {@code {id, type, at, data}}. The id is stable: derived from the
 * change-stream record it comes from, so a redelivered record yields the same id (receivers dedupe on it; it is the
 * {@code webhook-id} header too). {@code data} never holds a secret, a token, a hash of one or revocation internals.
 */
public record LifecycleEvent(String id, String type, Instant at, Map<String, Object> data) {
    public LifecycleEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** The JSON object receivers get, in this field order. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("type", type);
        json.put("at", at.toString());
        json.put("data", data);
        return json;
    }
}
