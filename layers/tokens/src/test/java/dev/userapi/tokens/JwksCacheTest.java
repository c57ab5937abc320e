package dev.userapi.tokens;

import static dev.userapi.tokens.Tokens.CLIENT_ID;
import static dev.userapi.tokens.Tokens.POOL_KID;
import static dev.userapi.tokens.Tokens.accessClaims;
import static dev.userapi.tokens.Tokens.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.tokens.TokenInvalidException.Reason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/SECURITY.md §A9: the JWKS is fetched at start-up, with timeouts and a size cap; an unknown kid
 * causes at most one refetch per 10 s; cached keys survive an endpoint that is down, hangs or
 * answers garbage.
 */
class JwksCacheTest {
    private static final String ROTATED_KID = "pool-key-2";

    private JwksServer server;
    private MutableClock clock;
    private CognitoAccessTokenVerifier verifier;

    @BeforeEach
    void setUp() throws Exception {
        server = JwksServer.withKeys(POOL_KID, TestKeys.POOL);
        clock = MutableClock.atNow();
        verifier = verifier(server.jwksUrl());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private CognitoAccessTokenVerifier verifier(URI jwksUrl) {
        return CognitoAccessTokenVerifier.builder(server.issuer(), List.of(CLIENT_ID))
                .jwksUrl(jwksUrl)
                .clock(clock)
                .build();
    }

    private String token(String kid, KeyPair key) {
        Map<String, Object> h = new LinkedHashMap<>(header());
        h.put("kid", kid);
        return Tokens.rs256(h, accessClaims(server.issuer(), clock.epochSecond()), key.getPrivate());
    }

    private String poolToken() {
        return token(POOL_KID, TestKeys.POOL);
    }

    private Reason reasonFor(String token) {
        try {
            verifier.verify(token);
            return null;
        } catch (TokenInvalidException e) {
            return e.reason();
        }
    }

    private static long millis(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    // ------------------------------------------------------------------ start-up

    @Test
    void a9_jwksIsLoadedAtInitialisation_andNotRefetchedForKnownKeys() {
        assertThat(verifier.prime()).isTrue();
        assertThat(server.requests()).isEqualTo(1);

        for (int i = 0; i < 20; i++) {
            verifier.verify(poolToken());
        }
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void a9_failedLoadAtInitialisation_doesNotThrow_andTheFirstTokenRetries() {
        server.serveRaw(503, "unavailable".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.prime()).isFalse();
        assertThat(verifier.jwks().isLoaded()).isFalse();

        server.serveKeys(POOL_KID, TestKeys.POOL);
        assertThat(verifier.verify(poolToken()).sub()).isNotBlank();
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void a9_endpointDownAtInitialisation_isJwksUnavailable_andRetriedAtMostOncePer10s() {
        server.close();
        verifier.prime();
        assertThat(reasonFor(poolToken())).isEqualTo(Reason.JWKS_UNAVAILABLE);
        assertThat(verifier.jwks().fetchCount()).isEqualTo(2);
        assertThat(reasonFor(poolToken())).isEqualTo(Reason.JWKS_UNAVAILABLE);
        assertThat(verifier.jwks().fetchCount()).isEqualTo(2);
    }

    @Test
    void a9_hangingEndpointAtInitialisation_givesUpWithinTwoSeconds() {
        server.hang();
        long took = millis(() -> assertThat(verifier.prime()).isFalse());
        assertThat(took).isLessThan(2500);
    }

    // ------------------------------------------------------------------ cached keys survive a bad endpoint

    @Test
    void a9_hangingEndpoint_failsWithinTwoSeconds_andCachedKeysStillWork() {
        verifier.prime();
        server.hang();

        long took = millis(() -> assertThat(reasonFor(token(ROTATED_KID, TestKeys.ROTATED))).isEqualTo(Reason.UNKNOWN_KEY));
        assertThat(took).isBetween(1000L, 2500L);

        long known = millis(() -> assertThat(verifier.verify(poolToken()).sub()).isNotBlank());
        assertThat(known).isLessThan(500);
    }

    @Test
    void a9_endpointDown_cachedKeysKeepWorking() {
        verifier.prime();
        server.close();

        assertThat(verifier.verify(poolToken()).sub()).isNotBlank();
        assertThat(reasonFor(token(ROTATED_KID, TestKeys.ROTATED))).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(verifier.verify(poolToken()).sub()).isNotBlank();
    }

    @Test
    void a9_errorStatus_doesNotReplaceCachedKeys() {
        verifier.prime();
        server.serveRaw(500, "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8));

        assertThat(reasonFor(token(ROTATED_KID, TestKeys.ROTATED))).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(server.requests()).isEqualTo(2);
        assertThat(verifier.verify(poolToken()).sub()).isNotBlank();
    }

    @Test
    void a9_garbageBody_doesNotReplaceCachedKeys() {
        verifier.prime();
        for (String garbage : List.of("<html>oops</html>", "", "null", "[]", "{\"keys\":{}}", "{\"keys\":[]}",
                "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"x\"}]}", "{\"keys\":[1,2,3]}", "{\"keys\":[],\"keys\":[]}")) {
            server.serveRaw(200, garbage.getBytes(StandardCharsets.UTF_8));
            clock.advance(Duration.ofSeconds(10));

            assertThat(reasonFor(token(ROTATED_KID, TestKeys.ROTATED))).as(garbage).isEqualTo(Reason.UNKNOWN_KEY);
            assertThat(verifier.verify(poolToken()).sub()).as(garbage).isNotBlank();
        }
        assertThat(server.requests()).isEqualTo(10);
    }

    @Test
    void a9_hugeBody_isCapped_andDoesNotReplaceCachedKeys() {
        verifier.prime();
        byte[] huge = new byte[2 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        String keys = "{\"keys\":[" + Tokens.json(TestKeys.jwk(TestKeys.ROTATED, ROTATED_KID)) + "]}";
        System.arraycopy(keys.getBytes(StandardCharsets.UTF_8), 0, huge, 0, keys.length());
        server.serveRaw(200, huge); // a valid JWKS followed by 2 MiB of whitespace

        long took = millis(() -> assertThat(reasonFor(token(ROTATED_KID, TestKeys.ROTATED))).isEqualTo(Reason.UNKNOWN_KEY));
        assertThat(took).isLessThan(2000);
        assertThat(verifier.verify(poolToken()).sub()).isNotBlank();
    }

    // ------------------------------------------------------------------ penalty box

    @Test
    void a9_randomKids_causeAtMostOneFetchPer10Seconds() {
        verifier.prime();
        assertThat(server.requests()).isEqualTo(1);

        for (int i = 0; i < 100; i++) {
            assertThat(reasonFor(token(UUID.randomUUID().toString(), TestKeys.ATTACKER))).isEqualTo(Reason.UNKNOWN_KEY);
        }
        assertThat(server.requests()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(9));
        for (int i = 0; i < 100; i++) {
            reasonFor(token(UUID.randomUUID().toString(), TestKeys.ATTACKER));
        }
        assertThat(server.requests()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            reasonFor(token(UUID.randomUUID().toString(), TestKeys.ATTACKER));
        }
        assertThat(server.requests()).isEqualTo(3);
        assertThat(verifier.verify(poolToken()).sub()).isNotBlank();
    }

    @Test
    void a9_rotatedKey_isFoundAtOnce_whenNoRefetchHappenedRecently() {
        verifier.prime();
        server.serveKeys(POOL_KID, TestKeys.POOL, ROTATED_KID, TestKeys.ROTATED);

        assertThat(verifier.verify(token(ROTATED_KID, TestKeys.ROTATED)).sub()).isNotBlank();
        assertThat(server.requests()).isEqualTo(2);
        assertThat(verifier.verify(poolToken()).sub()).isNotBlank();
    }

    @Test
    void a9_rotatedKey_isNotLockedOut_byRandomKids_beyondOneWindow() {
        verifier.prime();
        reasonFor(token("junk-" + UUID.randomUUID(), TestKeys.ATTACKER)); // arms the penalty box
        server.serveKeys(POOL_KID, TestKeys.POOL, ROTATED_KID, TestKeys.ROTATED); // the pool rotates

        clock.advance(Duration.ofSeconds(5));
        for (int i = 0; i < 50; i++) {
            reasonFor(token("junk-" + UUID.randomUUID(), TestKeys.ATTACKER));
        }
        assertThat(reasonFor(token(ROTATED_KID, TestKeys.ROTATED))).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(server.requests()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(5));
        assertThat(verifier.verify(token(ROTATED_KID, TestKeys.ROTATED)).sub()).isNotBlank();
        assertThat(server.requests()).isEqualTo(3);
        // and once cached, the new key needs no more fetches
        for (int i = 0; i < 50; i++) {
            reasonFor(token("junk-" + UUID.randomUUID(), TestKeys.ATTACKER));
            verifier.verify(token(ROTATED_KID, TestKeys.ROTATED));
        }
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    void a9_penaltyBox_coversFailedFetchesToo() {
        verifier.prime();
        server.serveRaw(503, new byte[0]);
        for (int i = 0; i < 20; i++) {
            reasonFor(token(ROTATED_KID, TestKeys.ROTATED));
        }
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void a9_penaltyBox_isPerJwksUrl() throws Exception {
        try (JwksServer other = JwksServer.withKeys("other-kid", TestKeys.ROTATED)) {
            JwksCache first = new JwksCache(server.jwksUrl(), new HttpJwksFetcher(), clock);
            JwksCache second = new JwksCache(other.jwksUrl(), new HttpJwksFetcher(), clock);

            assertThatThrownBy(() -> first.key("unknown")).isInstanceOf(TokenInvalidException.class);
            assertThat(second.key("other-kid").kid()).isEqualTo("other-kid");
            assertThat(server.requests()).isEqualTo(1);
            assertThat(other.requests()).isEqualTo(1);
        }
    }

    @Test
    void a9_concurrentUnknownKids_shareOneFetch() throws Exception {
        verifier.prime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Reason>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String t = token(UUID.randomUUID().toString(), TestKeys.ATTACKER);
                calls.add(() -> reasonFor(t));
            }
            for (Future<Reason> f : pool.invokeAll(calls)) {
                assertThat(f.get()).isEqualTo(Reason.UNKNOWN_KEY);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void a9_primeIgnoresAndDoesNotArmThePenaltyBox() {
        verifier.prime();
        reasonFor(token("junk", TestKeys.ATTACKER));
        server.serveKeys(POOL_KID, TestKeys.POOL, ROTATED_KID, TestKeys.ROTATED);

        assertThat(verifier.prime()).isTrue(); // e.g. SnapStart beforeCheckpoint
        assertThat(verifier.verify(token(ROTATED_KID, TestKeys.ROTATED)).sub()).isNotBlank();
        assertThat(server.requests()).isEqualTo(3);
    }

    // ------------------------------------------------------------------ key withdrawal

    @Test
    void a9_withdrawnKey_stopsVerifyingAfterMaxAge() {
        verifier.prime();
        server.serveKeys(ROTATED_KID, TestKeys.ROTATED); // the old key is withdrawn

        clock.advance(Duration.ofMinutes(59));
        assertThat(verifier.verify(poolToken()).sub()).isNotBlank();
        assertThat(server.requests()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        assertThat(reasonFor(poolToken())).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(verifier.verify(token(ROTATED_KID, TestKeys.ROTATED)).sub()).isNotBlank();
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void a9_staleKeys_keepWorking_whenTheRefreshFails() {
        verifier.prime();
        server.close();

        clock.advance(Duration.ofHours(2));
        assertThat(verifier.verify(poolToken()).sub()).isNotBlank();
        assertThat(verifier.verify(poolToken()).sub()).isNotBlank();
        assertThat(verifier.jwks().fetchCount()).isEqualTo(2); // one refresh attempt, then the penalty box

        clock.advance(Duration.ofSeconds(10));
        assertThat(verifier.verify(poolToken()).sub()).isNotBlank();
        assertThat(verifier.jwks().fetchCount()).isEqualTo(3);
    }

    @Test
    void a9_unchangedKeys_surviveARefetch_withoutRecompiling() {
        verifier.prime();
        JwkSet.SigningKey before = verifier.jwks().key(POOL_KID);
        reasonFor(token("junk", TestKeys.ATTACKER)); // refetch of an identical document
        assertThat(server.requests()).isEqualTo(2);
        assertThat(verifier.jwks().key(POOL_KID)).isSameAs(before);
    }
}
