package dev.userapi.tokens;

import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.interfaces.Claim;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Array;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * One claim of a {@link JwtParts}, read exactly as java-jwt 4.x's own {@code JsonNodeClaim} reads it
 * (that class is package-private): a missing claim is {@link #isMissing()}, JSON {@code null} is
 * {@link #isNull()}, and each {@code asX} answers null unless the JSON value has that type. Times are
 * integer seconds ({@link ClaimChecks} has refused anything else before java-jwt sees them).
 */
final class JwtClaim implements Claim {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode data;

    JwtClaim(JsonNode data) {
        this.data = data;
    }

    @Override
    public boolean isNull() {
        return !isMissing() && data.isNull();
    }

    @Override
    public boolean isMissing() {
        return data == null || data.isMissingNode();
    }

    private boolean absent() {
        return isMissing() || isNull();
    }

    @Override
    public Boolean asBoolean() {
        return absent() || !data.isBoolean() ? null : data.asBoolean();
    }

    @Override
    public Integer asInt() {
        return absent() || !data.isNumber() ? null : data.asInt();
    }

    @Override
    public Long asLong() {
        return absent() || !data.isNumber() ? null : data.asLong();
    }

    @Override
    public Double asDouble() {
        return absent() || !data.isNumber() ? null : data.asDouble();
    }

    @Override
    public String asString() {
        return absent() || !data.isTextual() ? null : data.asText();
    }

    @Override
    public Date asDate() {
        return absent() || !data.canConvertToLong() ? null : new Date(data.asLong() * 1000);
    }

    @Override
    public Instant asInstant() {
        if (absent() || !data.canConvertToLong()) {
            return null;
        }
        long seconds = data.asLong();
        try {
            return Instant.ofEpochSecond(seconds);
        } catch (DateTimeException e) {
            throw new JWTDecodeException(String.format("The claim value (%s) is outside the valid Instant epoch-second range.", seconds), e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T[] asArray(Class<T> type) {
        if (absent() || !data.isArray()) {
            return null;
        }
        T[] array = (T[]) Array.newInstance(type, data.size());
        for (int i = 0; i < data.size(); i++) {
            array[i] = convert(data.get(i), type);
        }
        return array;
    }

    @Override
    public <T> List<T> asList(Class<T> type) {
        if (absent() || !data.isArray()) {
            return null;
        }
        List<T> list = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            list.add(convert(data.get(i), type));
        }
        return list;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return absent() || !data.isObject() ? null : convert(data, Map.class);
    }

    @Override
    public <T> T as(Class<T> type) {
        return absent() ? null : convert(data, type);
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new JWTDecodeException("Couldn't map the Claim's value to " + type.getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        if (isMissing()) {
            return "Missing claim";
        }
        return isNull() ? "Null claim" : data.toString();
    }
}
