package dev.userapi.tokens;

import static dev.userapi.tokens.TokenInvalidException.Reason.MALFORMED;
import static dev.userapi.tokens.TokenInvalidException.Reason.NON_CANONICAL_ENCODING;
import static dev.userapi.tokens.TokenInvalidException.Reason.TOO_LARGE;

import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *
 * <p>It is also java-jwt's view of the token ({@link DecodedJWT}): {@code JWTVerifier.verify(DecodedJWT)} checks the
 * signature and the claims over this one parse, so the token is decoded once, by the strict parser, and java-jwt
 * sees exactly the claims the strict checks saw (its own {@code JWT.decode} would be a second, laxer parse).
 * Its claims read as java-jwt's own {@code JsonNodeClaim} does ({@link JwtClaim}).
 */
final class JwtParts implements DecodedJWT {
    /** The 6-bit value of each byte of the base64url alphabet; -1 for every other byte. */
    private static final byte[] VALUES = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            VALUES[b] = (byte) value((char) b);
        }
    }

    private final String token;
    /** The token's characters as bytes (Latin-1: every accepted token is ASCII), for the decoders and the signature. */
    private final byte[] ascii;
    private final int headerEnd;
    private final int payloadEnd;
    private final ObjectNode header;
    private final ObjectNode payload;
    /** The signature segment, decoded. */
    private final byte[] signature;
    /** Whether {@link #header} came from a {@link HeaderCache} (a verified token's, shared and unmodifiable). */
    private final boolean headerCached;

    private JwtParts(String token, byte[] ascii, int headerEnd, int payloadEnd, ObjectNode header, ObjectNode payload,
                     byte[] signature, boolean headerCached) {
        this.token = token;
        this.ascii = ascii;
        this.headerEnd = headerEnd;
        this.payloadEnd = payloadEnd;
        this.header = header;
        this.payload = payload;
        this.signature = signature;
        this.headerCached = headerCached;
    }

    /** The header, strictly parsed. */
    ObjectNode header() {
        return header;
    }

    /** Whether the header is a cached one (see {@link HeaderCache}): then it is shared, and unmodifiable. */
    boolean headerCached() {
        return headerCached;
    }

    /** Whether the header segment is exactly {@code segment} (the bytes, not the parse). */
    boolean headerSegmentEquals(byte[] segment) {
        return segment.length == headerEnd && Arrays.equals(ascii, 0, headerEnd, segment, 0, headerEnd);
    }

    /** The header segment's bytes (a copy). */
    byte[] headerSegment() {
        return Arrays.copyOf(ascii, headerEnd);
    }

    /** The payload (claims), strictly parsed. */
    ObjectNode payload() {
        return payload;
    }

    /** The signing input, {@code header '.' payload}, as the ASCII bytes RS256 signs. */
    byte[] signingInput() {
        return Arrays.copyOf(ascii, payloadEnd);
    }

    /** Feeds the signing input to {@code verifier} in one piece, without copying it. */
    void updateSigningInput(java.security.Signature verifier) throws java.security.SignatureException {
        verifier.update(ascii, 0, payloadEnd);
    }

    /** The signature segment, base64url-decoded. */
    byte[] signatureBytes() {
        return signature.clone();
    }

    @Override
    public String getToken() {
        return token;
    }

    @Override
    public String getHeader() {
        return token.substring(0, headerEnd);
    }

    @Override
    public String getPayload() {
        return token.substring(headerEnd + 1, payloadEnd);
    }

    @Override
    public String getSignature() {
        return token.substring(payloadEnd + 1);
    }

    @Override
    public String getAlgorithm() {
        return getHeaderClaim("alg").asString();
    }

    @Override
    public String getType() {
        return getHeaderClaim("typ").asString();
    }

    @Override
    public String getContentType() {
        return getHeaderClaim("cty").asString();
    }

    @Override
    public String getKeyId() {
        return getHeaderClaim("kid").asString();
    }

    @Override
    public Claim getHeaderClaim(String name) {
        return new JwtClaim(header.get(name));
    }

    @Override
    public String getIssuer() {
        return getClaim("iss").asString();
    }

    @Override
    public String getSubject() {
        return getClaim("sub").asString();
    }

    /** As java-jwt: a string {@code aud} is a list of one, an array its strings, anything else null. */
    @Override
    public List<String> getAudience() {
        JsonNode aud = payload.get("aud");
        if (aud == null || aud.isNull()) {
            return null;
        }
        if (aud.isTextual()) {
            return List.of(aud.textValue());
        }
        return new JwtClaim(aud).asList(String.class);
    }

    @Override
    public Date getExpiresAt() {
        return getClaim("exp").asDate();
    }

    @Override
    public Date getNotBefore() {
        return getClaim("nbf").asDate();
    }

    @Override
    public Date getIssuedAt() {
        return getClaim("iat").asDate();
    }

    @Override
    public String getId() {
        return getClaim("jti").asString();
    }

    @Override
    public Claim getClaim(String name) {
        return new JwtClaim(payload.get(name));
    }

    @Override
    public Map<String, Claim> getClaims() {
        Map<String, Claim> claims = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : payload.properties()) {
            claims.put(e.getKey(), new JwtClaim(e.getValue()));
        }
        return claims;
    }

    static JwtParts decompose(String token, int maxLength) {
        return decompose(token, maxLength, null);
    }

    /**
     * As {@link #decompose(String, int)}; with {@code headers}, a header segment that a verified token had, byte for
     * byte, is not decoded and parsed again: its parse is taken from the cache (the same tree a fresh parse builds).
     */
    static JwtParts decompose(String token, int maxLength, HeaderCache headers) {
        if (token == null || token.isEmpty()) {
            throw new TokenInvalidException(MALFORMED, "empty token");
        }
        if (token.length() > maxLength) {
            throw new TokenInvalidException(TOO_LARGE, "token longer than " + maxLength + " characters");
        }
        // one copy of the characters as bytes, which every later step reads (a character outside Latin-1 becomes '?',
        // outside the alphabet as the character itself was: the same refusal, MALFORMED)
        byte[] ascii = token.getBytes(StandardCharsets.ISO_8859_1);
        // the common case: the first dot from the start (the header is short), the last from the end (the signature is
        // short), and each segment checked while it is decoded (a byte outside the alphabet, a third dot among them,
        // stops it); anything else, and any doubt, takes the step-by-step checks, which refuse it as they always did
        int first = indexOfDot(ascii);
        int second = lastIndexOfDot(ascii);
        if (first < 0 || second <= first || !wellFormed(ascii, 0, first) || !wellFormed(ascii, first + 1, second)
                || !wellFormed(ascii, second + 1, ascii.length)) {
            return decomposeStepByStep(token, ascii);
        }
        // a cached header is a verified token's header segment, byte for byte: of the alphabet, and parsed already
        ObjectNode cached = headers == null ? null : headers.find(ascii, first);
        byte[] headerJson = cached != null ? null : decodeChecked(ascii, 0, first);
        byte[] payloadJson = decodeChecked(ascii, first + 1, second);
        byte[] signature = decodeChecked(ascii, second + 1, ascii.length);
        if ((cached == null && headerJson == null) || payloadJson == null || signature == null) {
            return decomposeStepByStep(token, ascii);
        }
        return new JwtParts(token, ascii, first, second,
                cached != null ? cached : json(headerJson, "header"),
                json(payloadJson, "payload"),
                signature,
                cached != null);
    }

    private static int indexOfDot(byte[] token) {
        for (int i = 0; i < token.length; i++) {
            if (token[i] == '.') {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOfDot(byte[] token) {
        for (int i = token.length - 1; i >= 0; i--) {
            if (token[i] == '.') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code token[from, to)} is non-empty, of a possible length and, if its last byte is of the alphabet,
     * canonical (the bytes themselves are checked by {@link #decodeChecked}).
     */
    private static boolean wellFormed(byte[] token, int from, int to) {
        int length = to - from;
        int unusedBits = switch (length % 4) {
            case 0 -> 0;
            case 2 -> 4;
            case 3 -> 2;
            default -> -1;
        };
        return length > 0 && unusedBits >= 0 && (VALUES[token[to - 1] & 0xff] & ((1 << unusedBits) - 1)) == 0;
    }

    /** The checks one by one, each with its own refusal (every token the one-pass check above does not accept). */
    static JwtParts decomposeStepByStep(String token, byte[] ascii) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new TokenInvalidException(MALFORMED, "not three segments");
        }
        checkSegment(ascii, 0, first, "header");
        checkSegment(ascii, first + 1, second, "payload");
        checkSegment(ascii, second + 1, ascii.length, "signature");
        return new JwtParts(token, ascii, first, second,
                json(decode(ascii, 0, first), "header"),
                json(decode(ascii, first + 1, second), "payload"),
                decode(ascii, second + 1, ascii.length),
                false);
    }

    private static void checkSegment(byte[] token, int from, int to, String name) {
        int length = to - from;
        if (length == 0) {
            throw new TokenInvalidException(MALFORMED, name + " segment is empty");
        }
        for (int i = from; i < to; i++) {
            byte c = token[i];
            if (VALUES[c & 0xff] < 0) {
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
        int last = VALUES[token[to - 1] & 0xff];
        if ((last & ((1 << unusedBits) - 1)) != 0) {
            throw new TokenInvalidException(NON_CANONICAL_ENCODING, name + " segment is not canonical base64url");
        }
    }

    private static ObjectNode json(byte[] bytes, String name) {
        try {
            return StrictJson.object(bytes);
        } catch (IllegalArgumentException e) {
            throw new TokenInvalidException(MALFORMED, name + " is " + e.getMessage());
        }
    }

    /**
     * {@link #decode} of a segment of possible length and canonical last character ({@link #wellFormed}) whose bytes
     * have not been checked: null if any of them is not of the alphabet (a dot included).
     */
    static byte[] decodeChecked(byte[] token, int from, int to) {
        int length = to - from;
        int whole = length / 4;
        int rest = length % 4;
        byte[] out = new byte[whole * 3 + (rest == 0 ? 0 : rest - 1)];
        int in = from;
        int o = 0;
        int outside = 0; // negative once any byte is outside the alphabet (VALUES is -1 there)
        for (int k = 0; k < whole; k++) {
            int a = VALUES[token[in] & 0xff];
            int b = VALUES[token[in + 1] & 0xff];
            int c = VALUES[token[in + 2] & 0xff];
            int d = VALUES[token[in + 3] & 0xff];
            outside |= a | b | c | d;
            int bits = a << 18 | b << 12 | c << 6 | d;
            out[o] = (byte) (bits >> 16);
            out[o + 1] = (byte) (bits >> 8);
            out[o + 2] = (byte) bits;
            in += 4;
            o += 3;
        }
        if (rest >= 2) {
            int a = VALUES[token[in] & 0xff];
            int b = VALUES[token[in + 1] & 0xff];
            int c = rest == 3 ? VALUES[token[in + 2] & 0xff] : 0;
            outside |= a | b | c;
            int bits = a << 18 | b << 12 | c << 6;
            out[o] = (byte) (bits >> 16);
            if (rest == 3) {
                out[o + 1] = (byte) (bits >> 8);
            }
        }
        return outside < 0 ? null : out;
    }

    /**
     * Decodes {@code token[from, to)} as unpadded base64url, straight from the token's bytes (no copy of the segment).
     * Only for a segment that passed {@link #checkSegment} (alphabet, length, canonical bits):
     * then the result is what the JDK's decoder gives for it.
     */
    static byte[] decode(byte[] token, int from, int to) {
        byte[] out = decodeChecked(token, from, to);
        if (out == null) {
            throw new IllegalStateException("decode of a segment that did not pass checkSegment");
        }
        return out;
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
