package dev.userapi.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import dev.userapi.core.problem.InvalidRequestException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A request body that follows the contract's conventions: {@code application/json}, at most
 * {@value #MAX_BYTES} bytes, one JSON object, no unknown fields, every field of the right type.
 * Each accessor names the offending field in its 400 answer.
 */
public final class JsonBody {
    private static final java.util.regex.Pattern VISIBLE_ASCII = java.util.regex.Pattern.compile("[\\x21-\\x7E]+");
    public static final int MAX_BYTES = 16 * 1024;

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    static JsonBody parse(ApiRequest request) {
        String raw = request.event().getBody();
        if (raw == null || raw.isEmpty()) {
            throw new InvalidRequestException("A JSON body is required.");
        }
        String contentType = request.header("Content-Type").orElse("");
        if (!isJson(contentType)) {
            throw new InvalidRequestException("The body must be sent as Content-Type: application/json.");
        }
        String text;
        if (Boolean.TRUE.equals(request.event().getIsBase64Encoded())) {
            if (raw.length() > (MAX_BYTES * 4 / 3) + 4) {
                throw tooLarge();
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(raw);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("The body is not valid base64.");
            }
            if (bytes.length > MAX_BYTES) {
                throw tooLarge();
            }
            text = decodeUtf8(bytes);
        } else {
            // UTF-8 never takes fewer bytes than chars, so a long string is too large before encoding.
            if (raw.length() > MAX_BYTES || !Text.isWellFormed(raw)
                    || raw.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                if (!Text.isWellFormed(raw)) {
                    throw new InvalidRequestException("The body is not valid UTF-8.");
                }
                throw tooLarge();
            }
            text = raw;
        }
        JsonNode tree;
        try {
            tree = Json.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new InvalidRequestException("The JSON body is nested too deeply or holds a value that is too large.");
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("The body is not valid JSON.");
        }
        if (tree == null || tree.getNodeType() != JsonNodeType.OBJECT) {
            throw new InvalidRequestException("The body must be a JSON object.");
        }
        return new JsonBody((ObjectNode) tree);
    }

    /** Only these fields may appear; any other is a 400 and nothing is done. */
    public JsonBody allowOnly(String... fields) {
        Set<String> allowed = Set.of(fields);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidRequestException("Unknown field '" + safeName(name) + "'.");
            }
        }
        return this;
    }

    public boolean has(String field) {
        return node.has(field);
    }

    public Set<String> fieldNames() {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A required, non-blank string of at most {@code maxLength} characters without control characters. */
    /**
     * A field that must be a JSON object (a WebAuthn credential, for one), as plain Java values (maps, lists, strings,
     * numbers, booleans); its content is the caller's and is checked by whoever consumes it.
     */
    public java.util.Map<String, Object> requiredObject(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidRequestException("'" + field + "' is required.");
        }
        if (!value.isObject()) {
            throw new InvalidRequestException("'" + field + "' must be a JSON object.");
        }
        return Json.mapper().convertValue(value, new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>() { });
    }

    public String requiredString(String field, int maxLength) {
        return optionalString(field, maxLength)
                .orElseThrow(() -> new InvalidRequestException("Field '" + field + "' is required."));
    }

    /** An optional string: absent is empty; present must be a non-blank string. {@code null} is refused. */
    public Optional<String> optionalString(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(checkString(field, value, maxLength));
    }

    /**
     * For partial updates: absent → {@code null} returned as "not given" by {@link #has}; JSON
     * {@code null} → {@link Optional#empty()} (clear the field); a string → its checked value.
     */
    public Optional<String> nullableString(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(checkString(field, value, maxLength));
    }

    /** A required e-mail address, trimmed and lower-cased. */
    public String requiredEmail(String field) {
        String raw = requiredString(field, Emails.MAX_LENGTH + 64);
        return Emails.normalize(raw).orElseThrow(
                () -> new InvalidRequestException("Field '" + field + "' is not a valid e-mail address."));
    }

    /**
     * A required password: a string of 1..256 characters, kept exactly as given (no trimming);
     * the user pool's policy is checked by Cognito.
     */
    public String requiredPassword(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidRequestException("Field '" + field + "' is required.");
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException("Field '" + field + "' must be a string.");
        }
        String s = value.textValue();
        if (s.isEmpty() || s.length() > 256) {
            throw new InvalidRequestException("Field '" + field + "' must be 1 to 256 characters long.");
        }
        if (Text.hasControl(s) || !Text.isWellFormed(s)) {
            throw new InvalidRequestException("Field '" + field + "' holds characters that are not allowed.");
        }
        return s;
    }

    /** A required one-time code (confirmation, reset, TOTP): 1..64 visible characters. */
    public String requiredCode(String field) {
        String code = requiredString(field, 64);
        if (!VISIBLE_ASCII.matcher(code).matches()) {
            throw new InvalidRequestException("Field '" + field + "' is not a valid code.");
        }
        return code;
    }

    /** An optional one-time code: absent is empty; present must be 1..64 visible characters. */
    public Optional<String> optionalCode(String field) {
        return node.has(field) ? Optional.of(requiredCode(field)) : Optional.empty();
    }

    /** A required array of distinct strings. */
    public List<String> requiredStringList(String field, int maxItems, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidRequestException("Field '" + field + "' is required.");
        }
        if (!value.isArray()) {
            throw new InvalidRequestException("Field '" + field + "' must be an array of strings.");
        }
        if (value.size() > maxItems) {
            throw new InvalidRequestException("Field '" + field + "' holds more than " + maxItems + " items.");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            String s = checkString(field, item, maxLength);
            if (!items.contains(s)) {
                items.add(s);
            }
        }
        return List.copyOf(items);
    }

    private static String checkString(String field, JsonNode value, int maxLength) {
        if (value.isNull()) {
            throw new InvalidRequestException("Field '" + field + "' must not be null.");
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException("Field '" + field + "' must be a string.");
        }
        String s = value.textValue();
        if (s.isBlank()) {
            throw new InvalidRequestException("Field '" + field + "' must not be blank.");
        }
        if (s.length() > maxLength) {
            throw new InvalidRequestException("Field '" + field + "' is longer than " + maxLength + " characters.");
        }
        if (Text.hasControl(s) || !Text.isWellFormed(s)) {
            throw new InvalidRequestException("Field '" + field + "' holds control characters or invalid Unicode.");
        }
        return s;
    }

    static boolean isJson(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
            if (param.startsWith("charset=") && !param.equals("charset=utf-8") && !param.equals("charset=\"utf-8\"")) {
                return false;
            }
        }
        return true;
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("The body is not valid UTF-8.");
        }
    }

    private static InvalidRequestException tooLarge() {
        return new InvalidRequestException("The body is larger than " + MAX_BYTES + " bytes.");
    }

    private static String safeName(String name) {
        return Text.clip(Text.stripControl(name), 64);
    }
}
