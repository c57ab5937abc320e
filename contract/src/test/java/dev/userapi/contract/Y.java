package dev.userapi.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small accessors over parsed YAML (maps, lists, scalars), failing with the path that was not what it should be. */
final class Y {
    private Y() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new IllegalStateException("expected a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }

    /** A list; a single value counts as a list of one (as IAM's Action/Resource and SAM's Policies allow). */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List) {
            return (List<Object>) value;
        }
        return List.of(value);
    }

    /** {@code get(node, "a", "b")} is {@code node.a.b}, or null if any step is missing. */
    static Object get(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    static String str(Object value) {
        return value == null ? null : value.toString();
    }

    /** A deep, mutable copy. */
    @SuppressWarnings("unchecked")
    static <T> T copy(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, copy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(copy(v)));
            return (T) copy;
        }
        return value;
    }

    /** {@code {Ref: name}}, or null when the value is not a plain Ref. */
    static String ref(Object value) {
        Map<String, Object> m = value instanceof Map ? map(value) : null;
        return m != null && m.size() == 1 && m.get("Ref") instanceof String s ? s : null;
    }

    /** The logical ID of {@code {Fn::GetAtt: [id, attribute]}} for the given attribute, or null. */
    static String getAtt(Object value, String attribute) {
        Map<String, Object> m = value instanceof Map ? map(value) : null;
        if (m == null || m.size() != 1 || !(m.get("Fn::GetAtt") instanceof List<?> parts) || parts.size() != 2) {
            return null;
        }
        return attribute.equals(parts.get(1)) ? str(parts.get(0)) : null;
    }
}
