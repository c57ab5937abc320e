package dev.userapi.authorizer;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.userapi.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorizer's JSON, read and written with the core layer's Jackson (streaming): the TOKEN event
 * in, the IAM policy out. Not the runtime's reflection-based serialisation of the event classes:
 * loading it (a second, shaded Jackson with its mix-ins) cost about a quarter of a second of every
 * cold start. The JSON written is what that serialisation writes ({@code principalId},
 * {@code policyDocument}, {@code context}, {@code usageIdentifierKey}; nulls left out).
 */
final class AuthorizerCodec {
    private AuthorizerCodec() {
    }

    /**
     * The TOKEN event's three fields ({@code type}, {@code authorizationToken}, {@code methodArn}); a field
     * that is not a string is read as absent, unknown fields are ignored and nested values are skipped whole
     * (their members are never read as the event's fields). Null if the input is not one whole JSON object.
     */
    static APIGatewayCustomAuthorizerEvent readEvent(InputStream input) {
        byte[] raw;
        try {
            raw = input.readAllBytes();
        } catch (IOException e) {
            return null;
        }
        APIGatewayCustomAuthorizerEvent plain = readPlainEvent(raw);
        return plain != null ? plain : readEventWithJackson(raw);
    }

    /** {@link #readEvent} by Jackson alone: what it answers for any input (and what {@link #readPlainEvent} must agree with). */
    static APIGatewayCustomAuthorizerEvent readEventWithJackson(byte[] raw) {
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        try (JsonParser json = Json.mapper().getFactory().createParser(raw)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    json.skipChildren(); // a nested value is never one of the three fields, nor read as top-level ones
                }
                switch (name) {
                    case "type" -> event.setType(text(json, value));
                    case "authorizationToken" -> event.setAuthorizationToken(value == JsonToken.VALUE_STRING ? plainString(json, raw) : null);
                    case "methodArn" -> event.setMethodArn(text(json, value));
                    default -> text(json, value); // read all the same: the core layer's limits apply to every string
                }
            }
            return json.currentToken() == JsonToken.END_OBJECT ? event : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The three fields' names, as the indexes {@link #readPlainEvent} keeps their values under. */
    private static final byte[][] FIELDS = {
        "type".getBytes(StandardCharsets.US_ASCII),
        "authorizationToken".getBytes(StandardCharsets.US_ASCII),
        "methodArn".getBytes(StandardCharsets.US_ASCII),
    };

    /**
     * The event API Gateway sends, read in one pass without a parser: one object whose members are only the three
     * fields, each at most once, each a plain string (printable ASCII, no escape, within the core layer's length limit),
     * with JSON whitespace around the tokens and nothing after the object. For such input Jackson reads exactly these
     * strings; null for anything else — any other member, a duplicate, an escape, a non-ASCII or control byte, another
     * value type, trailing bytes, invalid JSON — which {@link #readEventWithJackson} then reads (or refuses) as before.
     * This is not a JSON parser: it recognises one fixed shape and leaves every other input to Jackson.
     */
    static APIGatewayCustomAuthorizerEvent readPlainEvent(byte[] raw) {
        int i = whitespace(raw, 0);
        if (i >= raw.length || raw[i] != '{') {
            return null;
        }
        String[] values = new String[FIELDS.length];
        i = whitespace(raw, i + 1);
        while (true) {
            int nameEnd = plainStringEnd(raw, i);
            if (nameEnd < 0) {
                return null;
            }
            int field = field(raw, i + 1, nameEnd);
            if (field < 0) {
                return null;
            }
            i = whitespace(raw, nameEnd + 1);
            if (i >= raw.length || raw[i] != ':') {
                return null;
            }
            i = whitespace(raw, i + 1);
            int valueEnd = plainStringEnd(raw, i);
            if (valueEnd < 0) {
                return null;
            }
            if (values[field] != null) {
                return null; // a duplicate: Jackson's (the core layer refuses duplicates)
            }
            values[field] = new String(raw, i + 1, valueEnd - i - 1, StandardCharsets.ISO_8859_1);
            i = whitespace(raw, valueEnd + 1);
            if (i >= raw.length) {
                return null;
            }
            if (raw[i] == '}') {
                break;
            }
            if (raw[i] != ',') {
                return null;
            }
            i = whitespace(raw, i + 1);
        }
        if (whitespace(raw, i + 1) != raw.length) {
            return null;
        }
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType(values[0]);
        event.setAuthorizationToken(values[1]);
        event.setMethodArn(values[2]);
        return event;
    }

    /** The index of the first byte at or after {@code i} that is not JSON whitespace. */
    private static int whitespace(byte[] raw, int i) {
        while (i < raw.length && (raw[i] == ' ' || raw[i] == '\n' || raw[i] == '\r' || raw[i] == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * If {@code raw[at]} opens a plain string (printable ASCII without {@code "} or {@code \}, at most the core layer's
     * string length), the index of its closing quote; otherwise -1.
     */
    private static int plainStringEnd(byte[] raw, int at) {
        if (at >= raw.length || raw[at] != '"') {
            return -1;
        }
        for (int i = at + 1; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '"') {
                return i - at - 1 > MAX_STRING_LENGTH ? -1 : i;
            }
            if (b == '\\' || b < 0x20 || b >= 0x7f) {
                return -1;
            }
        }
        return -1;
    }

    /** Which of {@link #FIELDS} {@code raw[from, to)} names, or -1. */
    private static int field(byte[] raw, int from, int to) {
        for (int f = 0; f < FIELDS.length; f++) {
            if (Arrays.equals(raw, from, to, FIELDS[f], 0, FIELDS[f].length)) {
                return f;
            }
        }
        return -1;
    }

    private static String text(JsonParser json, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_STRING ? json.getText() : null;
    }

    /**
     * The current string value, taken straight from the input bytes when it is plain printable ASCII without escapes
     * (every real token: base64url and dots, about a kilobyte): Latin-1 bytes become the string by a copy, where Jackson
     * would decode them to characters and compress those back (a per-character loop that C1, which the template runs,
     * does not vectorise: the largest single cost of the event). Anything else (an escape, a control or non-ASCII byte,
     * an offset that does not point at the opening quote, a string over the core layer's length limit) is read by
     * Jackson as before, so the value, or the refusal, is always Jackson's.
     */
    private static final int MAX_STRING_LENGTH = Json.mapper().getFactory().streamReadConstraints().getMaxStringLength();

    private static String plainString(JsonParser json, byte[] raw) throws IOException {
        long offset = json.currentTokenLocation().getByteOffset();
        if (offset >= 0 && offset < raw.length && raw[(int) offset] == '"') {
            int start = (int) offset + 1;
            for (int i = start; i < raw.length; i++) {
                byte b = raw[i];
                if (b == '"') {
                    if (i - start > MAX_STRING_LENGTH) {
                        break; // Jackson refuses it (the core layer's limit on any string), and so does this reader
                    }
                    return new String(raw, start, i - start, StandardCharsets.ISO_8859_1);
                }
                if (b == '\\' || b < 0x20 || b >= 0x7f) {
                    break;
                }
            }
        }
        return json.getText();
    }

    /** The response's names, encoded once (Jackson copies their bytes rather than escaping the characters each time). */
    private static final SerializedString PRINCIPAL_ID = encoded("principalId");
    private static final SerializedString POLICY_DOCUMENT = encoded("policyDocument");
    private static final SerializedString CONTEXT = encoded("context");
    private static final SerializedString SUB = encoded("sub");
    private static final SerializedString USERNAME = encoded("username");
    private static final SerializedString ROLES = encoded("roles");
    private static final SerializedString AUTH_TIME = encoded("authTime");

    private static SerializedString encoded(String name) {
        SerializedString s = new SerializedString(name);
        s.asQuotedUTF8();
        s.asUnquotedUTF8();
        return s;
    }

    /**
     * Writes the response of {@code allowed} (what {@code writePolicy(AccessPolicy.allow(allowed))} writes, without
     * building it): the policy document, the same for every caller of a stage with the same admin flag, is serialised
     * once and copied; only the principal and the context are written per call.
     */
    static void writeAllowed(AccessPolicy.Allowed allowed, OutputStream output) throws IOException {
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(output)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeFieldName(PRINCIPAL_ID);
            json.writeString(allowed.token().sub());
            json.writeFieldName(POLICY_DOCUMENT);
            json.writeRawValue(document(allowed.stagePrefix(), allowed.sortedRoles()));
            json.writeFieldName(CONTEXT);
            json.writeStartObject();
            json.writeFieldName(SUB);
            json.writeString(allowed.token().sub());
            json.writeFieldName(USERNAME);
            json.writeString(allowed.token().username());
            json.writeFieldName(ROLES);
            List<String> roles = allowed.sortedRoles();
            json.writeString(roles.size() == 1 ? roles.get(0) : String.join(",", roles));
            json.writeFieldName(AUTH_TIME);
            json.writeString(Long.toString(allowed.token().authTime()));
            json.writeEndObject();
            json.writeEndObject();
        }
    }

    /**
     * The policy document's JSON by stage prefix, for callers without and with the admin role (bounded as
     * {@link AccessPolicy#resources}'s cache). Held as Jackson's {@link SerializedString}, which keeps its UTF-8 bytes:
     * the document (every route the roles allow, several kilobytes) is copied into the output as bytes, not encoded
     * again from characters on every call.
     */
    private static final Map<String, SerializedString> USER_DOCUMENTS = new ConcurrentHashMap<>();
    private static final Map<String, SerializedString> ADMIN_DOCUMENTS = new ConcurrentHashMap<>();
    private static final int MAX_DOCUMENTS = 64;

    private static SerializedString document(String stagePrefix, Collection<String> roles) throws IOException {
        Map<String, SerializedString> documents = AccessPolicy.admin(roles) ? ADMIN_DOCUMENTS : USER_DOCUMENTS;
        SerializedString cached = documents.get(stagePrefix);
        if (cached != null) {
            return cached;
        }
        StringWriter text = new StringWriter(1024);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(text)) {
            // the map the response's getter gives, as writePolicy writes it
            write(json, IamPolicyResponseV1.builder().withPolicyDocument(AccessPolicy.document(stagePrefix, roles)).build().getPolicyDocument());
        }
        SerializedString built = new SerializedString(text.toString());
        built.asUnquotedUTF8(); // encoded once, here
        if (documents.size() >= MAX_DOCUMENTS) {
            documents.clear(); // only a forged ARN stream could get here: never let it grow
        }
        documents.put(stagePrefix, built);
        return built;
    }

    /** Writes {@code response} as the runtime's serialisation would, leaving {@code output} open. */
    static void writePolicy(IamPolicyResponseV1 response, OutputStream output) throws IOException {
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(output)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            if (response.getPrincipalId() != null) {
                json.writeStringField("principalId", response.getPrincipalId());
            }
            if (response.getPolicyDocument() != null) {
                json.writeFieldName("policyDocument");
                write(json, response.getPolicyDocument());
            }
            if (response.getContext() != null) {
                json.writeFieldName("context");
                write(json, response.getContext());
            }
            if (response.getUsageIdentifierKey() != null) {
                json.writeStringField("usageIdentifierKey", response.getUsageIdentifierKey());
            }
            json.writeEndObject();
        }
    }

    /** The policy document and context: maps, lists, arrays and strings, as IamPolicyResponseV1 holds them. */
    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() == null) {
                    continue; // as the runtime's serialisation: IamPolicyResponseV1 puts "Condition": null in every statement
                }
                json.writeFieldName(String.valueOf(e.getKey()));
                write(json, e.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                write(json, element);
            }
            json.writeEndArray();
        } else if (value instanceof Object[] array) {
            json.writeStartArray();
            for (Object element : array) {
                write(json, element);
            }
            json.writeEndArray();
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Long || value instanceof Integer) {
            json.writeNumber(((Number) value).longValue());
        } else {
            json.writeString(String.valueOf(value));
        }
    }
}
