package dev.userapi.core.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import dev.userapi.core.problem.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque page cursors: DynamoDB's {@code LastEvaluatedKey} (string keys only) as base64url JSON,
 * validated on the way back in so a forged cursor cannot start a query anywhere but in the listing
 * it came from.
 */
public final class Cursors {
    private static final java.util.regex.Pattern ALPHABET = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+");
    private static final int MAX_LENGTH = 2048;

    private Cursors() {
    }

    public static String encode(Map<String, AttributeValue> lastEvaluatedKey) {
        if (lastEvaluatedKey == null || lastEvaluatedKey.isEmpty()) {
            return null;
        }
        Map<String, String> plain = new LinkedHashMap<>();
        lastEvaluatedKey.forEach((k, v) -> plain.put(k, v.s()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(plain).getBytes(StandardCharsets.UTF_8));
    }

    /** A cursor of named string fields (a listing's own position format), as base64url JSON. */
    public static String encodeFields(Map<String, String> fields) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(fields).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes a cursor that must hold exactly {@code keys}, each accepted by {@code valid}.
     *
     * @throws InvalidRequestException if the cursor was not produced by this listing
     */
    public static Map<String, AttributeValue> decode(String cursor, Set<String> keys, Predicate<Map<String, String>> valid) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        decodeFields(cursor, keys, valid).forEach((k, v) -> key.put(k, AttributeValue.fromS(v)));
        return key;
    }

    /**
     * Decodes a cursor of {@link #encodeFields} that must hold exactly {@code keys} (non-empty
     * strings of at most 600 characters), together accepted by {@code valid}.
     *
     * @throws InvalidRequestException if the cursor was not produced by this listing
     */
    public static Map<String, String> decodeFields(String cursor, Set<String> keys, Predicate<Map<String, String>> valid) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH || !ALPHABET.matcher(cursor).matches()) {
            throw invalid();
        }
        try {
            JsonNode node = Json.readTree(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            if (node == null || !node.isObject() || node.size() != keys.size()) {
                throw invalid();
            }
            Map<String, String> plain = new LinkedHashMap<>();
            for (String key : keys) {
                JsonNode v = node.get(key);
                if (v == null || !v.isTextual() || v.textValue().isEmpty() || v.textValue().length() > 600) {
                    throw invalid();
                }
                plain.put(key, v.textValue());
            }
            if (!valid.test(plain)) {
                throw invalid();
            }
            return plain;
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid();
        }
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException("The cursor is not valid; use the nextCursor of a previous page.");
    }
}
