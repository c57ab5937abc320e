package dev.userapi.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A custom EventBridge bus with the template's rules ({@code AWS::Events::Rule} on it): {@code PutEvents} wraps each
 * entry in EventBridge's envelope ({@code version, id, detail-type, source, account, time, region, resources, detail})
 * and sends it to the SQS target of every rule whose pattern matches. Patterns: exact values (a list of accepted
 * values per field), nested for {@code detail}; what the template's rules use.
 */
public final class LocalEventBus {
    /** A rule: its pattern and the queues it targets. */
    public record Rule(String id, Map<String, Object> pattern, List<LocalQueue> targets) {
    }

    private final String name;
    private final String region;
    private final String account;
    private final List<Rule> rules = new ArrayList<>();

    public LocalEventBus(String name, String region, String account) {
        this.name = name;
        this.region = region;
        this.account = account;
    }

    public String name() {
        return name;
    }

    public synchronized void addRule(Rule rule) {
        rules.add(rule);
    }

    /** Puts one entry; returns its event id. */
    public synchronized String put(String source, String detailType, String detail, Instant time) {
        String id = UUID.randomUUID().toString();
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.put("version", "0");
        envelope.put("id", id);
        envelope.put("detail-type", detailType);
        envelope.put("source", source);
        envelope.put("account", account);
        envelope.put("time", time.toString());
        envelope.put("region", region);
        envelope.putArray("resources");
        try {
            envelope.set("detail", Json.readTree(detail));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Detail is not JSON");
        }
        String body = Json.write(envelope);
        for (Rule rule : rules) {
            if (matches(rule.pattern(), envelope)) {
                rule.targets().forEach(q -> q.send(body, Duration.ZERO));
            }
        }
        return id;
    }

    @SuppressWarnings("unchecked")
    static boolean matches(Map<String, Object> pattern, JsonNode event) {
        for (Map.Entry<String, Object> field : pattern.entrySet()) {
            JsonNode value = event.get(field.getKey());
            if (field.getValue() instanceof Map<?, ?> nested) {
                if (value == null || !value.isObject() || !matches((Map<String, Object>) nested, value)) {
                    return false;
                }
            } else if (field.getValue() instanceof List<?> accepted) {
                if (value == null || !anyEqual(accepted, value)) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean anyEqual(List<?> accepted, JsonNode value) {
        if (value.isArray()) {
            for (Iterator<JsonNode> it = value.elements(); it.hasNext();) {
                if (anyEqual(accepted, it.next())) {
                    return true;
                }
            }
            return false;
        }
        for (Object a : accepted) {
            if (a != null && value.isValueNode() && String.valueOf(a).equals(value.asText())) {
                return true;
            }
        }
        return false;
    }
}
