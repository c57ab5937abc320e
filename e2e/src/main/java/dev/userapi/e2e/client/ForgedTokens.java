package dev.userapi.e2e.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * Tokens the tests sign themselves, with a key they generate (never fetched): they look like the
 * pool's (RS256, the {@code kid}, issuer and client of a real token the stack issued) but are not
 * signed by the pool.
 */
public final class ForgedTokens {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final KeyPair KEY = generate();

    private ForgedTokens() {
    }

    /** An RS256 JWT over {@code claims}, with header {@code kid}, signed with the test's own key. */
    public static String sign(String kid, Map<String, Object> claims) {
        try {
            String header = encode(MAPPER.writeValueAsBytes(Map.of("alg", "RS256", "kid", kid, "typ", "JWT")));
            String payload = encode(MAPPER.writeValueAsBytes(claims));
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(KEY.getPrivate());
            signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + encode(signer.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code kid} of a token's header. */
    public static String kidOf(String token) {
        try {
            return MAPPER.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0])).path("kid").asText();
        } catch (IOException e) {
            throw new AssertionError("Not a JWT header: " + token, e);
        }
    }

    /** Access-token claims as the pool issues them (issuer, client and scope copied from {@code realAccessToken}). */
    public static Map<String, Object> accessClaims(String realAccessToken, String sub, long issuedAtSeconds, long expiresAtSeconds) {
        JsonNode real = Jwt.claims(realAccessToken);
        return Map.of("sub", sub, "username", sub, "client_id", real.path("client_id").asText(), "token_use", "access",
                "scope", real.path("scope").asText(), "iat", issuedAtSeconds, "auth_time", issuedAtSeconds,
                "exp", expiresAtSeconds, "iss", real.path("iss").asText(), "jti", UUID.randomUUID().toString());
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
