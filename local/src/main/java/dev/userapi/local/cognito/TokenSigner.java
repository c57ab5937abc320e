package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.RSAPrivateKeySpec;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * Changes claims of a token cognito-local issued and signs it again with cognito-local's own key
 * (which ships in its npm package), so the token still verifies against the pool's JWKS. The layer
 * uses it to add what cognito-local leaves out ({@code nonce}, {@code origin_jti}, the granted
 * scopes, the original {@code auth_time}).
 */
final class TokenSigner {
    private final PrivateKey key;

    TokenSigner(Path privateKeyFile) {
        this.key = loadKey(privateKeyFile);
    }

    /** {@code token} with {@code edit} applied to its claims, signed again; a token that is not a JWT comes back unchanged. */
    String rewrite(String token, Consumer<ObjectNode> edit) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 3) {
            return token;
        }
        try {
            ObjectNode claims = (ObjectNode) Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            edit.accept(claims);
            String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
            return parts[0] + "." + payload + "." + sign(parts[0] + "." + payload);
        } catch (IOException | ClassCastException | IllegalArgumentException e) {
            return token;
        }
    }

    private String sign(String signingInput) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey loadKey(Path file) {
        try {
            JsonNode jwk = Json.mapper().readTree(Files.readAllBytes(file)).path("jwk");
            Base64.Decoder decoder = Base64.getUrlDecoder();
            return KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateKeySpec(
                    new BigInteger(1, decoder.decode(jwk.path("n").asText())),
                    new BigInteger(1, decoder.decode(jwk.path("d").asText()))));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read cognito-local's signing key from " + file, e);
        }
    }
}
