package dev.userapi.tokens;

import static dev.userapi.tokens.Tokens.CLIENT_ID;
import static dev.userapi.tokens.Tokens.POOL_KID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.userapi.tokens.TokenInvalidException.Reason;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verifier's cache of verified tokens' headers ({@link HeaderCache}): what goes in, when, and what a hit gives. */
class HeaderCacheTest {
    private JwksServer server;
    private MutableClock clock;
    private CognitoAccessTokenVerifier verifier;
    private String issuer;

    @BeforeEach
    void setUp() throws Exception {
        server = JwksServer.withKeys(POOL_KID, TestKeys.POOL);
        clock = MutableClock.atNow();
        issuer = server.issuer();
        verifier = CognitoAccessTokenVerifier.builder(issuer, List.of(CLIENT_ID))
                .jwksUrl(server.jwksUrl())
                .leeway(Duration.ofSeconds(5))
                .clock(clock)
                .build();
        assertThat(verifier.prime()).isTrue();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Map<String, Object> claims() {
        return Tokens.accessClaims(issuer, clock.epochSecond());
    }

    private static String headerSegment(String token) {
        return token.substring(0, token.indexOf('.'));
    }

    private JwtParts decomposeWithCache(String token) {
        return JwtParts.decompose(token, CognitoAccessTokenVerifier.MAX_TOKEN_LENGTH, verifier.headers());
    }

    private void assertRejected(String token, Reason reason) {
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOfSatisfying(TokenInvalidException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void aHeaderIsCachedOnlyAfterItsTokenPassedEveryCheck() {
        assertThat(verifier.headers().size()).as("priming's throw-away token fails on its signature").isZero();
        Map<String, Object> expired = claims();
        expired.put("exp", clock.epochSecond() - 3600);
        String expiredToken = Tokens.rs256(Tokens.header(), expired, TestKeys.POOL.getPrivate());
        String forged = Tokens.rs256(Tokens.header(), claims(), TestKeys.ATTACKER.getPrivate());
        Map<String, Object> otherClient = claims();
        otherClient.put("client_id", "someone-else");
        String wrongClient = Tokens.rs256(Tokens.header(), otherClient, TestKeys.POOL.getPrivate());

        assertRejected(expiredToken, Reason.EXPIRED);
        assertRejected(forged, Reason.BAD_SIGNATURE);
        assertRejected(wrongClient, Reason.WRONG_CLIENT);
        assertThat(verifier.headers().size()).isZero();
        assertThat(decomposeWithCache(forged).headerCached()).isFalse();

        String valid = Tokens.rs256(Tokens.header(), claims(), TestKeys.POOL.getPrivate());
        verifier.verify(valid);

        assertThat(verifier.headers().size()).isOne();
        assertThat(headerSegment(forged)).isEqualTo(headerSegment(valid));
        assertThat(decomposeWithCache(forged).headerCached()).isTrue();
    }

    @Test
    void aTokenWithACachedHeader_isStillCheckedWhole_signatureAndClaims() {
        String valid = Tokens.rs256(Tokens.header(), claims(), TestKeys.POOL.getPrivate());
        verifier.verify(valid);
        String header = headerSegment(valid);

        String forged = Tokens.rs256(Tokens.header(), claims(), TestKeys.ATTACKER.getPrivate());
        Map<String, Object> admin = claims();
        admin.put("sub", "someone-else");
        String tampered = header + "." + Tokens.b64(Tokens.json(admin)) + valid.substring(valid.lastIndexOf('.'));
        Map<String, Object> expired = claims();
        expired.put("exp", clock.epochSecond() - 3600);
        String unsigned = header + "." + Tokens.b64(Tokens.json(claims())) + "." + Tokens.b64(new byte[256]);

        assertThat(headerSegment(forged)).isEqualTo(header);
        assertRejected(forged, Reason.BAD_SIGNATURE);
        assertRejected(tampered, Reason.BAD_SIGNATURE);
        assertRejected(unsigned, Reason.BAD_SIGNATURE);
        assertRejected(Tokens.rs256(Tokens.header(), expired, TestKeys.POOL.getPrivate()), Reason.EXPIRED);
        assertThat(verifier.verify(valid).sub()).isEqualTo(claims().get("sub"));
    }

    @Test
    void aHeaderSpelledAnyOtherWay_isParsedAfresh_andCachedOnlyOnceItsTokenVerifies() {
        verifier.verify(Tokens.rs256(Tokens.header(), claims(), TestKeys.POOL.getPrivate()));
        String spaced = Tokens.rs256Raw("{\"kid\": \"" + POOL_KID + "\", \"alg\": \"RS256\"}", Tokens.json(claims()),
                TestKeys.POOL.getPrivate());
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("alg", "RS256");
        reordered.put("kid", POOL_KID);
        String other = Tokens.rs256(reordered, claims(), TestKeys.POOL.getPrivate());

        assertThat(decomposeWithCache(spaced).headerCached()).isFalse();
        assertThat(decomposeWithCache(other).headerCached()).isFalse();
        verifier.verify(spaced);
        verifier.verify(other);

        assertThat(verifier.headers().size()).isEqualTo(3);
        assertThat(decomposeWithCache(spaced).headerCached()).isTrue();
        assertThat(decomposeWithCache(other).headerCached()).isTrue();
    }

    @Test
    void aHit_isTheTreeAFreshParseGives() {
        String valid = Tokens.rs256(Tokens.header(), claims(), TestKeys.POOL.getPrivate());
        verifier.verify(valid);

        JwtParts hit = decomposeWithCache(valid);
        JwtParts fresh = JwtParts.decompose(valid, CognitoAccessTokenVerifier.MAX_TOKEN_LENGTH);

        assertThat(hit.headerCached()).isTrue();
        assertThat(fresh.headerCached()).isFalse();
        assertThat(hit.header()).isEqualTo(fresh.header());
        assertThat(hit.header().toString()).isEqualTo(fresh.header().toString());
        assertThat(hit.getKeyId()).isEqualTo(POOL_KID);
        assertThat(hit.getAlgorithm()).isEqualTo("RS256");
        assertThat(hit.payload()).isEqualTo(fresh.payload());
    }

    @Test
    void theCachedHeader_cannotBeChanged() {
        String valid = Tokens.rs256(Tokens.header(), claims(), TestKeys.POOL.getPrivate());
        verifier.verify(valid);
        ObjectNode cached = decomposeWithCache(valid).header();

        assertThatThrownBy(() -> cached.put("alg", "none")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> cached.set("kid", TextNode.valueOf("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> cached.replace("kid", TextNode.valueOf("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> cached.remove("kid")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> cached.removeAll()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> cached.putObject("jwk")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> cached.retain("alg")).isInstanceOf(UnsupportedOperationException.class);
        Map.Entry<String, JsonNode> first = cached.properties().iterator().next();
        assertThatThrownBy(() -> first.setValue(TextNode.valueOf("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> cached.properties().clear()).isInstanceOf(UnsupportedOperationException.class);

        assertThat(decomposeWithCache(valid).header()).isEqualTo(JwtParts.decompose(valid, 8192).header());
        assertThat(verifier.verify(valid).sub()).isEqualTo(claims().get("sub"));
    }

    @Test
    void aHeaderWithAnythingButStrings_isNeverCached() {
        Map<String, Object> header = Tokens.header();
        header.put("x-extra", Map.of("nested", "value"));
        String token = Tokens.rs256(header, claims(), TestKeys.POOL.getPrivate());

        verifier.verify(token);

        assertThat(verifier.headers().size()).isZero();
        assertThat(decomposeWithCache(token).headerCached()).isFalse();
    }

    @Test
    void theCacheIsBounded_theOldestGoes() {
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < HeaderCache.CAPACITY + 2; i++) {
            Map<String, Object> header = Tokens.header();
            header.put("typ", i % 2 == 0 ? "JWT" : "at+jwt");
            header.put("x-spelling", "s" + i);
            tokens.add(Tokens.rs256(header, claims(), TestKeys.POOL.getPrivate()));
        }
        tokens.forEach(verifier::verify);

        assertThat(verifier.headers().size()).isEqualTo(HeaderCache.CAPACITY);
        assertThat(decomposeWithCache(tokens.get(0)).headerCached()).isFalse();
        assertThat(decomposeWithCache(tokens.get(1)).headerCached()).isFalse();
        for (String token : tokens.subList(2, tokens.size())) {
            assertThat(decomposeWithCache(token).headerCached()).isTrue();
        }
        tokens.forEach(verifier::verify); // still every one verifies, cached or not
    }
}
