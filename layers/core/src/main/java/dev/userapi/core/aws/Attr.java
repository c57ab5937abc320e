package dev.userapi.core.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Terse conversions between Java values and DynamoDB attribute values. */
public final class Attr {
    private Attr() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    public static AttributeValue list(Collection<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    public static Optional<String> string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }

    public static Optional<Long> number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? Optional.empty() : Optional.of(Long.parseLong(v.n()));
    }

    public static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    public static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null) {
            return List.of();
        }
        if (v.hasL()) {
            return v.l().stream().map(AttributeValue::s).filter(s -> s != null).toList();
        }
        if (v.hasSs()) {
            return List.copyOf(v.ss());
        }
        return List.of();
    }

    /** A JSON-like value (string, number, boolean, list, map) as an attribute value. */
    public static AttributeValue of(Object value) {
        if (value == null) {
            return AttributeValue.fromNul(true);
        }
        if (value instanceof String s) {
            return s(s);
        }
        if (value instanceof Number num) {
            return AttributeValue.fromN(num.toString());
        }
        if (value instanceof Boolean b) {
            return bool(b);
        }
        if (value instanceof Collection<?> c) {
            return AttributeValue.fromL(c.stream().map(Attr::of).toList());
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, AttributeValue> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), of(v)));
            return AttributeValue.fromM(out);
        }
        return s(value.toString());
    }

    /** The inverse of {@link #of(Object)}. */
    public static Object toJava(AttributeValue v) {
        if (v.s() != null) {
            return v.s();
        }
        if (v.n() != null) {
            String n = v.n();
            // not a conditional expression: `? Double : Long` would unbox both and make every number a Double
            if (n.contains(".") || n.contains("e") || n.contains("E")) {
                return Double.valueOf(n);
            }
            return Long.valueOf(n);
        }
        if (v.bool() != null) {
            return v.bool();
        }
        if (v.hasL()) {
            List<Object> out = new ArrayList<>();
            v.l().forEach(x -> out.add(toJava(x)));
            return out;
        }
        if (v.hasM()) {
            Map<String, Object> out = new LinkedHashMap<>();
            v.m().forEach((k, x) -> out.put(k, toJava(x)));
            return out;
        }
        if (v.hasSs()) {
            return List.copyOf(v.ss());
        }
        return null;
    }
}
