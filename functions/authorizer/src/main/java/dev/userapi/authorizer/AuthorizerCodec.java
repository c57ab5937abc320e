package dev.userapi.authorizer;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.userapi.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.util.Collection;
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
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        try (JsonParser json = Json.mapper().getFactory().createParser(input)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                String text = value == JsonToken.VALUE_STRING ? json.getText() : null;
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    json.skipChildren(); // a nested value is never one of the three fields, nor read as top-level ones
                }
                switch (name) {
                    case "type" -> event.setType(text);
                    case "authorizationToken" -> event.setAuthorizationToken(text);
                    case "methodArn" -> event.setMethodArn(text);
                    default -> { }
                }
            }
            return json.currentToken() == JsonToken.END_OBJECT ? event : null;
        } catch (IOException e) {
            return null;
        }
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
            json.writeStringField("principalId", allowed.token().sub());
            json.writeFieldName("policyDocument");
            json.writeRawValue(documentJson(allowed.stagePrefix(), allowed.sortedRoles()));
            json.writeFieldName("context");
            json.writeStartObject();
            json.writeStringField("sub", allowed.token().sub());
            json.writeStringField("username", allowed.token().username());
            json.writeStringField("roles", String.join(",", allowed.sortedRoles()));
            json.writeStringField("authTime", Long.toString(allowed.token().authTime()));
            json.writeEndObject();
            json.writeEndObject();
        }
    }

    /** The policy document's JSON by admin flag and stage prefix (bounded as {@link AccessPolicy#resources}'s cache). */
    private static final Map<String, String> DOCUMENTS = new ConcurrentHashMap<>();
    private static final int MAX_DOCUMENTS = 64;

    static String documentJson(String stagePrefix, Collection<String> roles) throws IOException {
        String key = (AccessPolicy.admin(roles) ? "A" : "U") + stagePrefix;
        String cached = DOCUMENTS.get(key);
        if (cached != null) {
            return cached;
        }
        StringWriter text = new StringWriter(1024);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(text)) {
            // the map the response's getter gives, as writePolicy writes it
            write(json, IamPolicyResponseV1.builder().withPolicyDocument(AccessPolicy.document(stagePrefix, roles)).build().getPolicyDocument());
        }
        String built = text.toString();
        if (DOCUMENTS.size() >= MAX_DOCUMENTS) {
            DOCUMENTS.clear(); // only a forged ARN stream could get here: never let it grow
        }
        DOCUMENTS.put(key, built);
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
