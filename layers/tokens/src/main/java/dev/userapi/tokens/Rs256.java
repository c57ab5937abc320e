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

    Rs256(RSAPublicKey key, RsaProvider provider) {
        super("RS256", RsaProvider.ALGORITHM);
        this.provider = Objects.requireNonNull(provider, "provider");
        this.key = provider.prepare(Objects.requireNonNull(key, "key"));
    }

    @Override
    public void verify(DecodedJWT jwt) throws SignatureVerificationException {
        boolean valid;
        try {
            byte[] signature = SIGNATURE.decode(jwt.getSignature());
            Signature verifier = provider.signature();
            verifier.initVerify(key);
            verifier.update(jwt.getHeader().getBytes(StandardCharsets.US_ASCII));
            verifier.update((byte) '.');
            verifier.update(jwt.getPayload().getBytes(StandardCharsets.US_ASCII));
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SignatureVerificationException(this, e);
        }
        if (!valid) {
            throw new SignatureVerificationException(this);
        }
    }

    @Override
    public byte[] sign(byte[] contentBytes) throws SignatureGenerationException {
        throw new SignatureGenerationException(this, new UnsupportedOperationException("verification only"));
    }
}
