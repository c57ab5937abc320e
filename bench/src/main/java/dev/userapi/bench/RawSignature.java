package dev.userapi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userapi.tokens.RsaProvider;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.concurrent.Callable;

/**
 * The benchmark's baseline: bare {@code Signature.verify} (SHA256withRSA) of one token's signing input with
 * the JWKS's first RSA key, on a chosen provider, one {@code initVerify + update + verify} per call. Uses the
 * verifier's public {@link RsaProvider} only: the key is built and converted to the provider's own
 * representation once, as the verifier does with its cached keys.
 */
final class RawSignature {
    private static final String ALGORITHM = "SHA256withRSA";

    private RawSignature() {
    }

    /** One verification per call (1 if it verified); fails at once if the token does not verify or the provider is a fallback. */
    static Callable<Integer> verifier(RsaProvider provider, byte[] jwks, String token) throws Exception {
        if (provider.fallbackReason().isPresent()) {
            throw new IllegalStateException("provider not available: " + provider.fallbackReason().get());
        }
        PublicKey key = firstRsaKey(provider, jwks);
        int dot = token.lastIndexOf('.');
        byte[] signingInput = token.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        Signature verifier = Signature.getInstance(ALGORITHM, provider.provider());
        Callable<Integer> once = () -> {
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(signature) ? 1 : 0;
        };
        if (once.call() != 1) {
            throw new IllegalStateException("the signature does not verify");
        }
        return once;
    }

    /** The JWKS's first RSA key, in the provider's own key representation. */
    private static PublicKey firstRsaKey(RsaProvider provider, byte[] jwks) throws Exception {
        for (JsonNode jwk : new ObjectMapper().readTree(jwks).path("keys")) {
            if ("RSA".equals(jwk.path("kty").asText())) {
                Base64.Decoder base64 = Base64.getUrlDecoder();
                RSAPublicKeySpec spec = new RSAPublicKeySpec(new BigInteger(1, base64.decode(jwk.path("n").asText())),
                        new BigInteger(1, base64.decode(jwk.path("e").asText())));
                return KeyFactory.getInstance("RSA", provider.provider()).generatePublic(spec);
            }
        }
        throw new IllegalStateException("no RSA key in the JWKS");
    }
}
