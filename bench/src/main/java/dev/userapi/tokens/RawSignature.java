package dev.userapi.tokens;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.concurrent.Callable;

/**
 * The benchmark's baseline: bare {@code Signature.verify} (SHA256withRSA) of one token's signing input with
 * the key the verifier would use, on a chosen provider, one {@code initVerify + update + verify} per call.
 * In this package because the key conversion and the provider's {@link Signature} are the verifier's own.
 */
public final class RawSignature {
    private RawSignature() {
    }

    /** One verification per call (1 if it verified); fails at once if the token does not verify or the provider is a fallback. */
    public static Callable<Integer> verifier(RsaProvider provider, byte[] jwks, String token) throws Exception {
        if (provider.fallbackReason().isPresent()) {
            throw new IllegalStateException("provider not available: " + provider.fallbackReason().get());
        }
        JwkSet set = JwkSet.parse(jwks);
        RSAPublicKey key = provider.prepare(set.find(set.kids().iterator().next()).publicKey());
        int dot = token.lastIndexOf('.');
        byte[] signingInput = token.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        Signature verifier = provider.signature();
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
}
