package dev.userapi.tokens;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The only way the authorizer reads untrusted JSON (token header and payload, JWKS documents):
 * valid UTF-8 only (no replacement characters, no overlong forms, no lone surrogates), one JSON
 * object and nothing after it, no duplicate member names at any depth, bounded nesting, number and
 * string lengths.
 *
 * <p>Duplicate names matter because two parsers that pick different duplicates read two different
 * tokens from one signature; java-jwt's own parser keeps the last one silently.
 */
final class StrictJson {
    /** A Cognito access token nests two levels ({@code cognito:groups}); a JWKS three ({@code x5c}). */
    static final int MAX_DEPTH = 10;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(24)
                            .maxStringLength(64 * 1024)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    /**
     * Parses {@code utf8} as one JSON object.
     *
     * @throws IllegalArgumentException with a short reason (never the input) if it is not one
     */
    static ObjectNode object(byte[] utf8) {
        if (isAsciiWithoutNul(utf8)) {
            // the common case (Cognito's headers and claims are ASCII): valid UTF-8 as it is, parsed from the bytes
            // without a charset decoder and a String. No NUL byte, so Jackson's encoding detection can only pick UTF-8
            // (it reads UTF-16/32 from zero bytes); anything else takes the decoding path below, as before.
            return tree(MAPPER, utf8);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-8");
        }
        return tree(MAPPER, text);
    }

    private static boolean isAsciiWithoutNul(byte[] bytes) {
        for (byte b : bytes) {
            if (b <= 0) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode tree(ObjectMapper mapper, Object input) {
        JsonNode node;
        try {
            node = input instanceof byte[] bytes ? mapper.readTree(bytes) : mapper.readTree((String) input);
        } catch (IOException e) {
            throw new IllegalArgumentException("not strict JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return (ObjectNode) node;
    }
}
