package dev.userapi.local.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/**
 * Tokens the tests sign themselves, with a key they generate (never fetched): they look like
 * cognito-local's (RS256, its {@code kid}, its issuer and client) but are not signed by the pool.
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
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Access-token claims as cognito-local issues them for the running stack's pool. */
    public static Map<String, Object> accessClaims(String sub, long issuedAtSeconds, long expiresAtSeconds) {
        var stack = TestStack.get();
        return Map.of("sub", sub, "username", sub, "client_id", stack.userPoolClientId(), "token_use", "access",
                "scope", "aws.cognito.signin.user.admin", "iat", issuedAtSeconds, "auth_time", issuedAtSeconds,
                "exp", expiresAtSeconds, "iss", stack.issuer(), "jti", java.util.UUID.randomUUID().toString());
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
