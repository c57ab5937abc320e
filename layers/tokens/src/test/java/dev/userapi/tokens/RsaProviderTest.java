package dev.userapi.tokens;

import static dev.userapi.tokens.Tokens.CLIENT_ID;
import static dev.userapi.tokens.Tokens.POOL_KID;
import static dev.userapi.tokens.Tokens.accessClaims;
import static dev.userapi.tokens.Tokens.b64;
import static dev.userapi.tokens.Tokens.header;
import static dev.userapi.tokens.Tokens.rs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.Provider;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ACCP when it loads, the JDK's provider when it does not, and the same answer from both for every token. */
class RsaProviderTest {
    private JwksServer server;
    private MutableClock clock;

    @BeforeEach
    void setUp() throws Exception {
        server = JwksServer.withKeys(POOL_KID, TestKeys.POOL, "rotated", TestKeys.ROTATED);
        clock = MutableClock.atNow();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void preferNative_onLinuxX86_64_isAccp() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                && (arch.equals("amd64") || arch.equals("x86_64")), "ACCP's native library is linux-x86_64 only");

        RsaProvider chosen = RsaProvider.preferNative();

        assertThat(chosen.fallbackReason()).isEmpty();
        assertThat(chosen.provider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    }

    static Stream<Throwable> loadFailures() {
        return Stream.of(
                new UnsatisfiedLinkError("libamazonCorrettoCryptoProvider.so: wrong ELF class"),
                new NoClassDefFoundError("com/amazon/corretto/crypto/provider/AmazonCorrettoCryptoProvider"),
                new ExceptionInInitializerError("loader failed"),
                new IllegalStateException("self test failed"));
    }

    @ParameterizedTest
    @MethodSource("loadFailures")
    void choose_whenTheNativeProviderCannotLoad_fallsBackToTheJdkAndStillVerifies(Throwable failure) {
        RsaProvider chosen = RsaProvider.choose(() -> {
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        });

        assertThat(chosen.provider()).isSameAs(RsaProvider.jdk().provider());
        assertThat(chosen.provider().getName()).isNotEqualTo("AmazonCorrettoCryptoProvider");
        assertThat(chosen.fallbackReason()).hasValueSatisfying(r -> assertThat(r).contains(failure.getClass().getSimpleName()));
        CognitoAccessTokenVerifier verifier = verifier(chosen);
        assertThat(verifier.verify(validToken()).sub()).isEqualTo(accessClaims(server.issuer(), 0).get("sub"));
    }

    /**
     * The real fallback, not a simulated one: this class's code loaded again by a class loader that has every
     * jar of the test classpath except ACCP's, as on a deployment whose artifact lacks it.
     */
    @Test
    void preferNative_withoutTheAccpJarOnTheClasspath_fallsBackToTheJdkAndVerifies() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<java.net.URL> urls = new ArrayList<>();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank() && !entry.contains("AmazonCorrettoCryptoProvider")) {
                urls.add(java.nio.file.Path.of(entry).toUri().toURL());
            }
        }
        try (java.net.URLClassLoader withoutAccp = new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThat(withoutAccp.getResource("com/amazon/corretto/crypto/provider/AmazonCorrettoCryptoProvider.class")).isNull();
            Class<?> type = Class.forName(RsaProvider.class.getName(), true, withoutAccp);
            assertThat(type).isNotSameAs(RsaProvider.class);

            Object chosen = type.getMethod("preferNative").invoke(null);

            Provider provider = (Provider) type.getMethod("provider").invoke(chosen);
            assertThat(provider).isSameAs(RsaProvider.jdk().provider());
            assertThat((Optional<?>) type.getMethod("fallbackReason").invoke(chosen))
                    .hasValueSatisfying(r -> assertThat(String.valueOf(r)).contains("NoClassDefFoundError"));
            byte[] message = "header.payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(TestKeys.POOL.getPrivate());
            signer.update(message);
            Signature verifier = Signature.getInstance("SHA256withRSA", provider);
            verifier.initVerify(TestKeys.POOL.getPublic());
            verifier.update(message);
            assertThat(verifier.verify(signer.sign())).isTrue();
        }
    }

    @Test
    void choose_whenTheProviderLacksSha256WithRsa_fallsBackToTheJdk() {
        Provider empty = new Provider("Empty", "1", "no services") {
            private static final long serialVersionUID = 1L;
        };

        RsaProvider chosen = RsaProvider.choose(() -> empty);

        assertThat(chosen.provider()).isSameAs(RsaProvider.jdk().provider());
        assertThat(chosen.fallbackReason()).isPresent();
    }

    @Test
    void verification_givesIdenticalResultsWithTheJdkAndTheNativeProvider() {
        RsaProvider nativeProvider = RsaProvider.preferNative();
        assumeTrue(nativeProvider.fallbackReason().isEmpty(), "ACCP does not load on this platform");
        CognitoAccessTokenVerifier jdk = verifier(RsaProvider.jdk());
        CognitoAccessTokenVerifier accp = verifier(nativeProvider);

        List<String> tokens = corpus();
        int accepted = 0;
        for (String token : tokens) {
            String expected = outcome(jdk, token);
            assertThat(outcome(accp, token)).as("token %s", token).isEqualTo(expected);
            accepted += expected.startsWith("OK") ? 1 : 0;
        }
        assertThat(accepted).as("the corpus has valid tokens too").isGreaterThanOrEqualTo(2);
        assertThat(tokens.size() - accepted).as("and many invalid ones").isGreaterThan(100);
    }

    @Test
    void rawSignatures_verifyIdenticallyWithTheJdkAndTheNativeProvider() throws Exception {
        RsaProvider nativeProvider = RsaProvider.preferNative();
        assumeTrue(nativeProvider.fallbackReason().isEmpty(), "ACCP does not load on this platform");
        byte[] message = "header.payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(TestKeys.POOL.getPrivate());
        signer.update(message);
        byte[] good = signer.sign();
        Random random = new Random(8);
        for (int i = 0; i < 200; i++) {
            byte[] signature = i == 0 ? good : mutate(good, random);
            assertThat(verifies(nativeProvider, signature, message)).as("signature %d", i)
                    .isEqualTo(verifies(RsaProvider.jdk(), signature, message));
        }
        assertThat(verifies(nativeProvider, good, message)).isEqualTo("true");
    }

    private static String verifies(RsaProvider provider, byte[] signature, byte[] message) {
        try {
            Signature s = provider.signature();
            s.initVerify(provider.prepare((java.security.interfaces.RSAPublicKey) TestKeys.POOL.getPublic()));
            s.update(message);
            return String.valueOf(s.verify(signature));
        } catch (Exception e) {
            return "false"; // both providers refuse; how they say so (exception or false) may differ
        }
    }

    private CognitoAccessTokenVerifier verifier(RsaProvider provider) {
        CognitoAccessTokenVerifier v = CognitoAccessTokenVerifier.builder(server.issuer(), List.of(CLIENT_ID))
                .jwksUrl(server.jwksUrl())
                .leeway(Duration.ofSeconds(5))
                .clock(clock)
                .rsaProvider(provider)
                .build();
        assertThat(v.prime()).isTrue();
        assertThat(v.rsaProvider()).isSameAs(provider);
        return v;
    }

    private String validToken() {
        return rs256(header(), accessClaims(server.issuer(), clock.epochSecond()), TestKeys.POOL.getPrivate());
    }

    /** What a verifier made of a token: the verified claims, or the refusal's reason. */
    private static String outcome(CognitoAccessTokenVerifier verifier, String token) {
        try {
            return "OK " + verifier.verify(token);
        } catch (TokenInvalidException e) {
            return e.reason().name();
        }
    }

    /** Valid tokens, and tokens whose signature or signed bytes are wrong in many ways. */
    private List<String> corpus() {
        long now = clock.epochSecond();
        Map<String, Object> claims = accessClaims(server.issuer(), now);
        String valid = validToken();
        Map<String, Object> rotatedHeader = new java.util.LinkedHashMap<>(header());
        rotatedHeader.put("kid", "rotated");
        List<String> tokens = new ArrayList<>(List.of(
                valid,
                rs256(rotatedHeader, claims, TestKeys.ROTATED.getPrivate()),
                rs256(header(), claims, TestKeys.ROTATED.getPrivate()),
                rs256(header(), claims, TestKeys.ATTACKER.getPrivate()),
                rs256(header(), accessClaims(server.issuer(), now - 7200), TestKeys.POOL.getPrivate())));
        String[] parts = valid.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        String signingInput = parts[0] + "." + parts[1];
        tokens.add(signingInput + "." + b64(new byte[256]));
        tokens.add(signingInput + "." + b64(new byte[255]));
        tokens.add(signingInput + "." + b64(new byte[257]));
        tokens.add(signingInput + "." + b64(new byte[1]));
        tokens.add(signingInput + "." + b64(Arrays.copyOf(signature, 255)));
        tokens.add(signingInput + "." + b64(filled(256, (byte) 0xff)));
        tokens.add(signingInput + "." + b64(unsigned(((java.security.interfaces.RSAPublicKey) TestKeys.POOL.getPublic()).getModulus())));
        Map<String, Object> tampered = new java.util.LinkedHashMap<>(claims);
        tampered.put("sub", "someone-else");
        tokens.add(b64(Tokens.json(header())) + "." + b64(Tokens.json(tampered)) + "." + parts[2]);
        Random random = new Random(42);
        for (int i = 0; i < 150; i++) {
            tokens.add(signingInput + "." + b64(mutate(signature, random)));
        }
        return tokens;
    }

    private static byte[] mutate(byte[] signature, Random random) {
        byte[] copy = signature.clone();
        int flips = 1 + random.nextInt(3);
        for (int f = 0; f < flips; f++) {
            copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static byte[] unsigned(java.math.BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
