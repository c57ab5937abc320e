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
import java.util.Base64;
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
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
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

    private JwtParts(String token, byte[] ascii, int headerEnd, int payloadEnd, ObjectNode header, ObjectNode payload) {
        this.token = token;
        this.ascii = ascii;
        this.headerEnd = headerEnd;
        this.payloadEnd = payloadEnd;
        this.header = header;
        this.payload = payload;
    }

    /** The header, strictly parsed. */
    ObjectNode header() {
        return header;
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
        return DECODER.decode(Arrays.copyOfRange(ascii, payloadEnd + 1, ascii.length));
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
        // one copy of the characters as bytes, which every later step reads (a character outside Latin-1 becomes '?',
        // outside the alphabet as the character itself was: the same refusal, MALFORMED)
        byte[] ascii = token.getBytes(StandardCharsets.ISO_8859_1);
        checkSegment(ascii, 0, first, "header");
        checkSegment(ascii, first + 1, second, "payload");
        checkSegment(ascii, second + 1, ascii.length, "signature");
        return new JwtParts(token, ascii, first, second,
                json(ascii, 0, first, "header"),
                json(ascii, first + 1, second, "payload"));
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

    private static ObjectNode json(byte[] token, int from, int to, String name) {
        byte[] bytes = DECODER.decode(Arrays.copyOfRange(token, from, to));
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
