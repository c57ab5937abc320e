package dev.userapi.local.testing;


import dev.userapi.local.ProjectLayout;

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
        return sign(kid, claims, KEY.getPrivate());
    }

    /**
     * A token signed with cognito-local's own key (it ships in the npm package, so anyone can forge
     * local tokens): a correct signature, so a refusal proves a claim check, not the signature check.
     */
    public static String signAsLocalPool(Map<String, Object> claims) {
        try {
            var file = ProjectLayout.findRoot().resolve("local/cognito/node_modules/cognito-local/lib/keys/cognitoLocal.private.json");
            var jwk = MAPPER.readTree(file.toFile()).path("jwk");
            var decoder = Base64.getUrlDecoder();
            var spec = new java.security.spec.RSAPrivateKeySpec(
                    new java.math.BigInteger(1, decoder.decode(jwk.path("n").asText())),
                    new java.math.BigInteger(1, decoder.decode(jwk.path("d").asText())));
            return sign("CognitoLocal", claims, java.security.KeyFactory.getInstance("RSA").generatePrivate(spec));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(String kid, Map<String, Object> claims, java.security.PrivateKey key) {
        try {
            String header = encode(MAPPER.writeValueAsBytes(Map.of("alg", "RS256", "kid", kid, "typ", "JWT")));
            String payload = encode(MAPPER.writeValueAsBytes(claims));
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + encode(signer.sign());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Access-token claims as cognito-local issues them for the running stack's pool. */
    public static Map<String, Object> accessClaims(String sub, long issuedAtSeconds, long expiresAtSeconds) {
        return accessClaims(TestStack.get(), sub, issuedAtSeconds, expiresAtSeconds);
    }

    /** Access-token claims as cognito-local issues them for {@code stack}'s pool. */
    public static Map<String, Object> accessClaims(dev.userapi.local.DevStack stack, String sub, long issuedAtSeconds,
                                                   long expiresAtSeconds) {
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
