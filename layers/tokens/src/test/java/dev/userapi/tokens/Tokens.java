package dev.userapi.tokens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds tokens byte for byte, so tests can produce exactly the malformed and hostile shapes they
 * need (duplicate names, odd headers, wrong types) and sign them with keys the tests generated.
 */
public final class Tokens {
    public static final String POOL_KID = "pool-key-1";
    public static final String CLIENT_ID = "client-web";
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    public static Map<String, Object> header() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("kid", POOL_KID);
        h.put("alg", "RS256");
        return h;
    }

    /** The claims of a Cognito access token issued at {@code now} for one hour. */
    public static Map<String, Object> accessClaims(String issuer, long now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("sub", "5f3b1c2a-8d4e-4f6a-9b7c-0123456789ab");
        c.put("cognito:groups", List.of("user"));
        c.put("iss", issuer);
        c.put("version", 2);
        c.put("client_id", CLIENT_ID);
        c.put("origin_jti", "0b8c7d6e-origin");
        c.put("event_id", "1a2b3c4d-event");
        c.put("token_use", "access");
        c.put("scope", "aws.cognito.signin.user.admin");
        c.put("auth_time", now);
        c.put("exp", now + 3600);
        c.put("iat", now);
        c.put("jti", "9f8e7d6c-jti");
        c.put("username", "ada@example.com");
        return c;
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String b64(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    public static String rs256(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) {
        return signRaw(b64(json(header)) + "." + b64(json(claims)), "SHA256withRSA", key);
    }

    /** Signs raw JSON text (which may be invalid or contain duplicates) with SHA256withRSA. */
    public static String rs256Raw(String headerJson, String payloadJson, PrivateKey key) {
        return signRaw(b64(headerJson) + "." + b64(payloadJson), "SHA256withRSA", key);
    }

    /** Signs already-encoded segments. */
    public static String signRaw(String signingInput, String jcaAlgorithm, PrivateKey key) {
        try {
            Signature s = Signature.getInstance(jcaAlgorithm);
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hs256(Map<String, Object> header, Map<String, Object> claims, byte[] secret) {
        try {
            String input = b64(json(header)) + "." + b64(json(claims));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
