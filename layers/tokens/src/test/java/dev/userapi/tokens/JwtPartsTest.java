package dev.userapi.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.auth0.jwt.JWT;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link JwtParts} is what java-jwt verifies (one parse): it must read every claim as java-jwt's own decoder does, and
 * its byte fast path must not make the strict parser laxer.
 */
class JwtPartsTest {
    private static final String ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test";

    private static String token() {
        Map<String, Object> claims = Tokens.accessClaims(ISSUER, 1_700_000_000L);
        claims.put("aud", List.of("a", "b"));
        claims.put("flag", true);
        claims.put("ratio", 1.5);
        claims.put("nothing", null);
        claims.put("nested", Map.of("k", "v"));
        claims.put("nbf", 1_699_999_000L);
        Map<String, Object> header = Tokens.header();
        header.put("typ", "JWT");
        return Tokens.rs256(header, claims, TestKeys.POOL.getPrivate());
    }

    @Test
    void readsEveryClaimAsJavaJwtsOwnDecoder() {
        String token = token();
        DecodedJWT ours = JwtParts.decompose(token, 8192);
        DecodedJWT theirs = JWT.decode(token);
        assertEquals(theirs.getToken(), ours.getToken());
        assertEquals(theirs.getHeader(), ours.getHeader());
        assertEquals(theirs.getPayload(), ours.getPayload());
        assertEquals(theirs.getSignature(), ours.getSignature());
        assertEquals(theirs.getAlgorithm(), ours.getAlgorithm());
        assertEquals(theirs.getType(), ours.getType());
        assertEquals(theirs.getContentType(), ours.getContentType());
        assertEquals(theirs.getKeyId(), ours.getKeyId());
        assertEquals(theirs.getIssuer(), ours.getIssuer());
        assertEquals(theirs.getSubject(), ours.getSubject());
        assertEquals(theirs.getAudience(), ours.getAudience());
        assertEquals(theirs.getExpiresAt(), ours.getExpiresAt());
        assertEquals(theirs.getNotBefore(), ours.getNotBefore());
        assertEquals(theirs.getIssuedAt(), ours.getIssuedAt());
        assertEquals(theirs.getId(), ours.getId());
        assertEquals(theirs.getClaims().keySet(), ours.getClaims().keySet());
        for (String name : List.of("iss", "sub", "exp", "iat", "nbf", "aud", "flag", "ratio", "nothing", "nested", "version",
                "cognito:groups", "absent", "username")) {
            Claim a = theirs.getClaim(name);
            Claim b = ours.getClaim(name);
            assertEquals(a.isMissing(), b.isMissing(), name);
            assertEquals(a.isNull(), b.isNull(), name);
            assertEquals(a.asString(), b.asString(), name);
            assertEquals(a.asBoolean(), b.asBoolean(), name);
            assertEquals(a.asInt(), b.asInt(), name);
            assertEquals(a.asLong(), b.asLong(), name);
            assertEquals(a.asDouble(), b.asDouble(), name);
            assertEquals(a.asDate(), b.asDate(), name);
            assertEquals(a.asInstant(), b.asInstant(), name);
            assertEquals(a.asList(Object.class), b.asList(Object.class), name);
            assertEquals(a.asMap(), b.asMap(), name);
            assertEquals(a.toString(), b.toString(), name);
        }
        assertEquals(new Date(1_700_003_600_000L), ours.getExpiresAt());
    }

    @Test
    void signingInputAndSignatureAreTheSegments() {
        String token = token();
        JwtParts parts = JwtParts.decompose(token, 8192);
        assertArrayEquals(token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII), parts.signingInput());
        assertArrayEquals(java.util.Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)), parts.signatureBytes());
    }

    @Test
    void theAsciiFastPathDoesNotLetJacksonGuessAnotherEncoding() {
        // UTF-16 and UTF-32 JSON are ASCII bytes with NULs: Jackson would detect and accept them from bytes
        for (String charset : List.of("UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE")) {
            byte[] json = "{\"alg\":\"RS256\"}".getBytes(java.nio.charset.Charset.forName(charset));
            assertThrows(IllegalArgumentException.class, () -> StrictJson.object(json), charset);
        }
        assertThrows(IllegalArgumentException.class, () -> StrictJson.object("{\"a\":\"b\u0000\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> StrictJson.object("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> StrictJson.object("{\"a\":1} {}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("é", StrictJson.object("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8)).get("a").textValue());
        assertThrows(IllegalArgumentException.class, () -> StrictJson.object(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}));
    }
}
