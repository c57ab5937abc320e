package dev.userapi.tokens;

import static dev.userapi.tokens.TokenInvalidException.Reason.MALFORMED;
import static dev.userapi.tokens.TokenInvalidException.Reason.NON_CANONICAL_ENCODING;
import static dev.userapi.tokens.TokenInvalidException.Reason.TOO_LARGE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * A compact JWS split into its parts, before anything is trusted. Every check here is about shape
 * and runs before any key lookup or cryptography:
 * <ul>
 *   <li>at most {@code maxLength} characters, checked before anything is decoded;</li>
 *   <li>exactly three non-empty segments of the base64url alphabet {@code [A-Za-z0-9_-]}, without
 *       {@code =} padding;</li>
 *   <li>canonical base64url only: the unused low bits of the last character must be zero, so each
 *       byte string has exactly one spelling (the JDK decoder accepts all 4 or 16 spellings);</li>
 *   <li>header and payload are strict JSON objects ({@link StrictJson}).</li>
 * </ul>
 */
record JwtParts(ObjectNode header, ObjectNode payload) {
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    static JwtParts decompose(String token, int maxLength) {
        if (token == null || token.isEmpty()) {
            throw new TokenInvalidException(MALFORMED, "empty token");
        }
        if (token.length() > maxLength) {
            throw new TokenInvalidException(TOO_LARGE, "token longer than " + maxLength + " characters");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new TokenInvalidException(MALFORMED, "not three segments");
        }
        checkSegment(token, 0, first, "header");
        checkSegment(token, first + 1, second, "payload");
        checkSegment(token, second + 1, token.length(), "signature");
        return new JwtParts(
                json(token, 0, first, "header"),
                json(token, first + 1, second, "payload"));
    }

    private static void checkSegment(String token, int from, int to, String name) {
        int length = to - from;
        if (length == 0) {
            throw new TokenInvalidException(MALFORMED, name + " segment is empty");
        }
        for (int i = from; i < to; i++) {
            char c = token.charAt(i);
            if (value(c) < 0) {
                throw new TokenInvalidException(c == '=' ? NON_CANONICAL_ENCODING : MALFORMED,
                        name + (c == '=' ? " segment is padded" : " segment is not base64url"));
            }
        }
        int unusedBits = switch (length % 4) {
            case 0 -> 0;
            case 2 -> 4;
            case 3 -> 2;
            default -> throw new TokenInvalidException(MALFORMED, name + " segment has an impossible length");
        };
        int last = value(token.charAt(to - 1));
        if ((last & ((1 << unusedBits) - 1)) != 0) {
            throw new TokenInvalidException(NON_CANONICAL_ENCODING, name + " segment is not canonical base64url");
        }
    }

    private static ObjectNode json(String token, int from, int to, String name) {
        byte[] bytes = DECODER.decode(token.substring(from, to));
        try {
            return StrictJson.object(bytes);
        } catch (IllegalArgumentException e) {
            throw new TokenInvalidException(MALFORMED, name + " is " + e.getMessage());
        }
    }

    /** The 6-bit value of a base64url character, or -1 for anything outside the alphabet. */
    static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '-') {
            return 62;
        }
        if (c == '_') {
            return 63;
        }
        return -1;
    }
}
