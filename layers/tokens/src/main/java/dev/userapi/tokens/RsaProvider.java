package dev.userapi.tokens;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import dev.userapi.core.log.Log;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Which implementation verifies RS256 signatures: the Amazon Corretto Crypto Provider (ACCP, AWS-LC,
 * native) when its library loads and reports itself healthy, otherwise the JDK's own.
 *
 * <p>ACCP is roughly twenty times faster than the JDK's RSA under Lambda's C1-only JIT, but it is a
 * native library built for one architecture ({@code linux-x86_64}, as {@code template.yaml}'s
 * {@code Architectures}). Wherever it cannot load — another CPU or OS, a missing jar, a failed self
 * test — the authorizer keeps working on the JDK's provider: same checks, same answers, only slower.
 * The choice is made once per execution environment, logged, and applies to this verifier only
 * (nothing is installed process-wide).
 */
public final class RsaProvider {
    static final String ALGORITHM = "SHA256withRSA";
    private static final Log LOG = Log.of(RsaProvider.class);

    private final Provider provider;
    private final Optional<String> fallbackReason;

    private RsaProvider(Provider provider, Optional<String> fallbackReason) {
        this.provider = provider;
        this.fallbackReason = fallbackReason;
    }

    /**
     * ACCP if it can be used here, otherwise the JDK's provider. Decided (and logged, with the reason
     * for a fallback) once per process.
     */
    public static RsaProvider preferNative() {
        return Preferred.CHOICE;
    }

    private static final class Preferred {
        // A lambda, not a method reference: the ACCP class is then first touched inside choose's try.
        static final RsaProvider CHOICE = choose(() -> Accp.load());

        static {
            CHOICE.log();
        }
    }

    /** The JDK's provider (whichever the JDK selects for SHA256withRSA, normally SunRsaSign). */
    public static RsaProvider jdk() {
        return new RsaProvider(jdkProvider(), Optional.empty());
    }

    /**
     * {@code nativeProvider} if it loads and verifies, otherwise the JDK's. Anything the loader throws,
     * including a {@link LinkageError} (no jar, wrong architecture), means the fallback.
     */
    static RsaProvider choose(Callable<Provider> nativeProvider) {
        try {
            Provider candidate = Objects.requireNonNull(nativeProvider.call(), "no provider");
            Signature.getInstance(ALGORITHM, candidate);
            KeyFactory.getInstance("RSA", candidate);
            return new RsaProvider(candidate, Optional.empty());
        } catch (Exception | LinkageError e) {
            return new RsaProvider(jdkProvider(), Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    /**
     * The only class that names ACCP's. Kept apart so that, without ACCP's jar, the JVM's
     * {@link NoClassDefFoundError} comes when this class is first used (inside {@link #choose}'s try) rather
     * than when {@link RsaProvider} itself is verified.
     */
    private static final class Accp {
        /** ACCP, if its native library loaded and its self tests pass; throws otherwise. */
        static Provider load() {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() != null) {
                throw new IllegalStateException("native library not loaded: " + accp.getLoadingError());
            }
            accp.assertHealthy();
            return accp;
        }
    }

    private static Provider jdkProvider() {
        try {
            return Signature.getInstance(ALGORITHM).getProvider();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        }
    }

    public Provider provider() {
        return provider;
    }

    /** Why the native provider is not used, if it is not. */
    public Optional<String> fallbackReason() {
        return fallbackReason;
    }

    /** A new {@code SHA256withRSA} verifier of this provider (not thread-safe: one per use or per thread). */
    Signature signature() {
        try {
            return Signature.getInstance(ALGORITHM, provider);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code key} in this provider's own representation, converted once so that each verification
     * does not convert it again (ACCP keeps the parsed native key); {@code key} itself if it cannot be.
     */
    RSAPublicKey prepare(RSAPublicKey key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA", provider).translateKey(key);
        } catch (GeneralSecurityException | ClassCastException e) {
            return key;
        }
    }

    private void log() {
        if (fallbackReason.isEmpty()) {
            LOG.info("RS256 verification provider", "provider", describe(provider));
        } else {
            LOG.warn("RS256 verification falls back to the JDK provider", "provider", describe(provider),
                    "reason", fallbackReason.get());
        }
    }

    static String describe(Provider provider) {
        return provider.getName() + " " + provider.getVersionStr();
    }

    @Override
    public String toString() {
        return describe(provider) + fallbackReason.map(r -> " (fallback: " + r + ")").orElse("");
    }
}
