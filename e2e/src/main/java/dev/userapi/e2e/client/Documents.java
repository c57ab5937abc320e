package dev.userapi.e2e.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/** The SDK's {@link Document} (Cognito's WebAuthn options and credentials) to and from JSON, for calls at Cognito directly. */
public final class Documents {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Documents() {
    }

    /** A document as a JSON tree. */
    public static JsonNode toJson(Document document) {
        return MAPPER.valueToTree(toJava(document));
    }

    private static Object toJava(Document document) {
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
        return document.asNumber().bigDecimalValue();
    }

    /** The document of a JSON-ready value (maps, lists, strings, numbers, booleans, null). */
    public static Document fromJava(Object value) {
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
