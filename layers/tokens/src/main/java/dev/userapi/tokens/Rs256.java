package dev.userapi.tokens;

import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.SignatureGenerationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Objects;

/**
 * java-jwt's {@code RS256}, verification only, on a chosen provider ({@link RsaProvider}): java-jwt's
 * own {@code Algorithm.RSA256} always asks the JCA for the highest-priority provider, which would
 * mean installing ACCP process-wide. Verifies exactly what java-jwt's does: PKCS#1 v1.5 SHA-256 over
 * the ASCII bytes of {@code header '.' payload} with the base64url-decoded signature; every failure is
 * a {@link SignatureVerificationException}.
 */
final class Rs256 extends Algorithm {
    private static final Base64.Decoder SIGNATURE = Base64.getUrlDecoder();

    private final RSAPublicKey key;
    private final RsaProvider provider;
    /**
     * One initialised verifier per thread (a {@link Signature} is not thread-safe): looking the algorithm up
     * and initialising it for the key on every token cost more than the RSA operation on ACCP.
     */
    private final ThreadLocal<Signature> verifiers = ThreadLocal.withInitial(this::newVerifier);

    Rs256(RSAPublicKey key, RsaProvider provider) {
        super("RS256", RsaProvider.ALGORITHM);
        this.provider = Objects.requireNonNull(provider, "provider");
        this.key = provider.prepare(Objects.requireNonNull(key, "key"));
    }

    @Override
    public void verify(DecodedJWT jwt) throws SignatureVerificationException {
        boolean valid;
        Signature verifier = null;
        try {
            verifier = verifiers.get();
            byte[] signature;
            if (jwt instanceof JwtParts parts) {
                // the verifiers' own parse: the signing input in one piece, no segment strings
                signature = parts.signatureBytes();
                parts.updateSigningInput(verifier);
            } else {
                signature = SIGNATURE.decode(jwt.getSignature());
                verifier.update(jwt.getHeader().getBytes(StandardCharsets.US_ASCII));
                verifier.update((byte) '.');
                verifier.update(jwt.getPayload().getBytes(StandardCharsets.US_ASCII));
            }
            // verify() leaves the object initialised for this key again, ready for the next token
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            verifiers.remove(); // its state is unknown after a failure: the next token gets a fresh one
            throw new SignatureVerificationException(this, e);
        }
        if (!valid) {
            throw new SignatureVerificationException(this);
        }
    }

    /** A {@code SHA256withRSA} verifier of the provider, initialised for this key. */
    private Signature newVerifier() {
        try {
            Signature verifier = provider.signature();
            verifier.initVerify(key);
            return verifier;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the key cannot verify: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] sign(byte[] contentBytes) throws SignatureGenerationException {
        throw new SignatureGenerationException(this, new UnsupportedOperationException("verification only"));
    }
}
