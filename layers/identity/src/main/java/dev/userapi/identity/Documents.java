package dev.userapi.identity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/** Converts between the SDK's {@link Document} (WebAuthn options and credentials) and plain JSON-ready Java values. */
final class Documents {
    private Documents() {
    }

    /** Maps, lists, strings, numbers, booleans and null, as {@code dev.userapi.core.json.Json} writes them. */
    static Object toJava(Document document) {
        if (document == null || document.isNull()) {
            return null;
        }
        if (document.isMap()) {
            Map<String, Object> map = new LinkedHashMap<>();
            document.asMap().forEach((k, v) -> map.put(k, toJava(v)));
            return map;
        }
        if (document.isList()) {
            List<Object> list = new ArrayList<>();
            document.asList().forEach(v -> list.add(toJava(v)));
            return list;
        }
        if (document.isString()) {
            return document.asString();
        }
        if (document.isBoolean()) {
            return document.asBoolean();
        }
        BigDecimal number = document.asNumber().bigDecimalValue();
        return number.scale() <= 0 ? (Object) number.toBigInteger() : number;
    }

    /** The document of a parsed JSON value (maps, lists, strings, numbers, booleans, null). */
    static Document fromJava(Object value) {
        if (value == null) {
            return Document.fromNull();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Document> members = new LinkedHashMap<>();
            map.forEach((k, v) -> members.put(String.valueOf(k), fromJava(v)));
            return Document.fromMap(members);
        }
        if (value instanceof List<?> list) {
            List<Document> items = new ArrayList<>();
            list.forEach(v -> items.add(fromJava(v)));
            return Document.fromList(items);
        }
        if (value instanceof Boolean b) {
            return Document.fromBoolean(b);
        }
        if (value instanceof Number n) {
            return Document.fromNumber(SdkNumber.fromString(n.toString()));
        }
        return Document.fromString(String.valueOf(value));
    }
}
