package dev.userapi.tokens;

import static dev.userapi.tokens.Tokens.CLIENT_ID;
import static dev.userapi.tokens.Tokens.POOL_KID;
import static dev.userapi.tokens.Tokens.accessClaims;
import static dev.userapi.tokens.Tokens.b64;
import static dev.userapi.tokens.Tokens.header;
import static dev.userapi.tokens.Tokens.json;
import static dev.userapi.tokens.Tokens.rs256;
import static dev.userapi.tokens.Tokens.rs256Raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.tokens.TokenInvalidException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/SECURITY.md §A1–A8 for the verifier, against a JWKS served by a local HTTP server. */
class CognitoAccessTokenVerifierTest {
    private JwksServer server;
    private MutableClock clock;
    private CognitoAccessTokenVerifier verifier;
    private String issuer;

    @BeforeEach
    void setUp() throws Exception {
        server = JwksServer.withKeys(POOL_KID, TestKeys.POOL);
        clock = MutableClock.atNow();
        issuer = server.issuer();
        verifier = verifier(issuer, Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private CognitoAccessTokenVerifier verifier(String iss, Duration leeway) {
        CognitoAccessTokenVerifier v = CognitoAccessTokenVerifier.builder(iss, List.of(CLIENT_ID, "client-mobile"))
                .jwksUrl(server.jwksUrl())
                .leeway(leeway)
                .clock(clock)
                .build();
        assertThat(v.prime()).isTrue();
        return v;
    }

    private Map<String, Object> claims() {
        return accessClaims(issuer, clock.epochSecond());
    }

    private String token(Map<String, Object> header, Map<String, Object> claims) {
        return rs256(header, claims, TestKeys.POOL.getPrivate());
    }

    private String validToken() {
        return token(header(), claims());
    }

    private void assertRejected(String token, Reason reason) {
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOfSatisfying(TokenInvalidException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    // ------------------------------------------------------------------ happy paths

    @Test
    void happyPath_cognitoAccessToken_isVerified() {
        VerifiedAccessToken t = verifier.verify(validToken());

        assertThat(t.sub()).isEqualTo("5f3b1c2a-8d4e-4f6a-9b7c-0123456789ab");
        assertThat(t.username()).isEqualTo("ada@example.com");
        assertThat(t.clientId()).isEqualTo(CLIENT_ID);
        assertThat(t.issuedAt()).isEqualTo(clock.epochSecond());
        assertThat(t.expiresAt()).isEqualTo(clock.epochSecond() + 3600);
        assertThat(t.jti()).contains("9f8e7d6c-jti");
    }

    @Test
    void happyPath_cognitoLocalShapedToken_isVerified() {
        // jsonwebtoken's header order and typ, cognito-local's claim set
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + POOL_KID + "\"}";
        long now = clock.epochSecond();
        String payload = "{\"auth_time\":" + now + ",\"client_id\":\"" + CLIENT_ID + "\",\"event_id\":\"e\",\"iat\":" + now
                + ",\"jti\":\"j\",\"scope\":\"aws.cognito.signin.user.admin\",\"sub\":\"local-sub\",\"token_use\":\"access\","
                + "\"username\":\"local-user\",\"cognito:groups\":[\"user\"],\"exp\":" + (now + 86400) + ",\"iss\":\"" + issuer + "\"}";

        VerifiedAccessToken t = verifier.verify(rs256Raw(header, payload, TestKeys.POOL.getPrivate()));

        assertThat(t.sub()).isEqualTo("local-sub");
        assertThat(t.username()).isEqualTo("local-user");
    }

    @Test
    void happyPath_secondConfiguredClient_isAccepted() {
        assertThat(verifier.verify(token(header(), with(claims(), "client_id", "client-mobile"))).clientId())
                .isEqualTo("client-mobile");
    }

    @Test
    void happyPath_tokenWithoutUsername_usesSub() {
        VerifiedAccessToken t = verifier.verify(token(header(), with(with(claims(), "username", null), "jti", null)));
        assertThat(t.username()).isEqualTo(t.sub());
        assertThat(t.jti()).isEmpty();
    }

    @Test
    void happyPath_jwkWithoutAlgAndUse_isAccepted_likeAwsJwtVerify() {
        Map<String, Object> jwk = new LinkedHashMap<>(TestKeys.jwk(TestKeys.POOL, POOL_KID));
        jwk.remove("alg");
        jwk.remove("use");
        server.serveJwks(json(Map.of("keys", List.of(jwk))));
        verifier = verifier(issuer, Duration.ofSeconds(5));

        assertThat(verifier.verify(validToken()).sub()).isNotBlank();
    }

    @Test
    void verifyingManyTokens_fetchesTheJwksOnce() {
        for (int i = 0; i < 50; i++) {
            verifier.verify(token(header(), with(claims(), "jti", "jti-" + i)));
        }
        assertThat(server.requests()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ A1: algorithms

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE", ""})
    void a1_algNone_withEmptySignature_isRejected(String alg) {
        String unsigned = b64(json(with(header(), "alg", alg))) + "." + b64(json(claims())) + ".";
        assertRejected(unsigned, Reason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "", "rs256", "RS256 ", "HS256", "RS384", "RS512", "PS256", "ES256", "EdDSA"})
    void a1_algOtherThanRs256_withAValidRs256Signature_isRejected(String alg) {
        assertRejected(token(with(header(), "alg", alg), claims()), Reason.BAD_ALGORITHM);
    }

    @Test
    void a1_algNotAString_isRejected() {
        assertRejected(token(with(header(), "alg", List.of("RS256")), claims()), Reason.BAD_ALGORITHM);
        assertRejected(token(with(header(), "alg", null), claims()), Reason.BAD_ALGORITHM);
    }

    static Stream<Arguments> publicKeyAsHmacSecret() {
        byte[] der = TestKeys.POOL.getPublic().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        return Stream.of(
                Arguments.of("DER", der),
                Arguments.of("PEM", pem.getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("JWK JSON", json(TestKeys.jwk(TestKeys.POOL, POOL_KID)).getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publicKeyAsHmacSecret")
    void a1_hs256MacedWithThePublicKey_isRejected(String form, byte[] secret) {
        assertRejected(Tokens.hs256(with(header(), "alg", "HS256"), claims(), secret), Reason.BAD_ALGORITHM);
    }

    static Stream<Arguments> otherRsaAlgorithms() {
        return Stream.of(Arguments.of("RS384", "SHA384withRSA"), Arguments.of("RS512", "SHA512withRSA"),
                Arguments.of("PS256", "RSASSA-PSS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherRsaAlgorithms")
    void a1_otherRsaAlgorithm_correctlySignedWithThePoolKey_isRejected(String alg, String jca) throws Exception {
        String input = b64(json(with(header(), "alg", alg))) + "." + b64(json(claims()));
        Signature s = Signature.getInstance(jca);
        if (alg.startsWith("PS")) {
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        s.initSign(TestKeys.POOL.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        assertRejected(input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign()), Reason.BAD_ALGORITHM);
    }

    static Stream<Arguments> unusableJwks() {
        Map<String, Object> good = TestKeys.jwk(TestKeys.POOL, POOL_KID);
        Map<String, Object> ec = new LinkedHashMap<>(Map.of("kty", "EC", "kid", POOL_KID, "crv", "P-256",
                "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"));
        return Stream.of(
                Arguments.of("alg RS512", with(good, "alg", "RS512")),
                Arguments.of("alg HS256", with(good, "alg", "HS256")),
                Arguments.of("alg none", with(good, "alg", "none")),
                Arguments.of("use enc", with(good, "use", "enc")),
                Arguments.of("key_ops sign only", with(good, "key_ops", List.of("sign"))),
                Arguments.of("kty EC", ec),
                Arguments.of("kty oct", with(good, "kty", "oct")),
                Arguments.of("1024-bit modulus", TestKeys.jwk(TestKeys.generate(1024), POOL_KID)),
                Arguments.of("alg not a string", with(good, "alg", 256)),
                Arguments.of("no modulus", with(good, "n", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableJwks")
    void a1_jwkThatIsNotAnRs256SigningKey_isNotUsed(String name, Map<String, Object> jwk) {
        // the JWKS also holds one good key, so the document itself is accepted
        server.serveJwks(json(Map.of("keys", List.of(jwk, TestKeys.jwk(TestKeys.ROTATED, "other")))));
        verifier = verifier(issuer, Duration.ofSeconds(5));
        int before = server.requests();

        assertRejected(validToken(), Reason.UNUSABLE_KEY);
        assertThat(server.requests()).as("a known but unusable kid is not refetched").isEqualTo(before);
    }

    @Test
    void a1_duplicateKidInJwks_isNotUsed() {
        server.serveJwks(json(Map.of("keys", List.of(TestKeys.jwk(TestKeys.ATTACKER, POOL_KID),
                TestKeys.jwk(TestKeys.POOL, POOL_KID), TestKeys.jwk(TestKeys.ROTATED, "other")))));
        verifier = verifier(issuer, Duration.ofSeconds(5));

        assertRejected(validToken(), Reason.UNUSABLE_KEY);
    }

    // ------------------------------------------------------------------ A2: kid

    @Test
    void a2_kidMissing_isRejected() {
        assertRejected(token(with(header(), "kid", null), claims()), Reason.UNKNOWN_KEY);
    }

    @ParameterizedTest
    @MethodSource("nonStringKids")
    void a2_kidNotAString_isRejected(Object kid) {
        assertRejected(token(with(header(), "kid", kid), claims()), Reason.UNKNOWN_KEY);
    }

    static Stream<Object> nonStringKids() {
        return Stream.of(1, 1.5, true, List.of(POOL_KID), Map.of("kid", POOL_KID), "");
    }

    @Test
    void a2_kidNull_isRejected() {
        assertRejected(rs256Raw("{\"alg\":\"RS256\",\"kid\":null}", json(claims()), TestKeys.POOL.getPrivate()),
                Reason.UNKNOWN_KEY);
    }

    @Test
    void a2_kidUnknown_isRejected() {
        assertRejected(token(with(header(), "kid", "not-a-pool-key"), claims()), Reason.UNKNOWN_KEY);
    }

    @ParameterizedTest
    @ValueSource(ints = {129, 1000, 5000})
    void a2_kidHuge_isRejectedWithoutAFetch(int length) {
        int before = server.requests();
        assertRejected(token(with(header(), "kid", "k".repeat(length)), claims()), Reason.UNKNOWN_KEY);
        assertThat(server.requests()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../../../etc/passwd", "..%2F..%2Fadmin", "/etc/passwd", "' OR '1'='1", "1; DROP TABLE users --",
            "http://attacker.example/jwks.json", "pool-key-1/../other", "POOL-KEY-1", "pool-key-1\u0000", "${jndi:ldap://x}"})
    void a2_kidWithPathOrSqlText_isOnlyAMapKey(String kid) {
        assertRejected(token(with(header(), "kid", kid), claims()), Reason.UNKNOWN_KEY);
        assertThat(server.paths()).as("every request went to the configured JWKS path, nothing derived from kid")
                .containsOnly(server.jwksUrl().getPath());
    }

    // ------------------------------------------------------------------ A3: key sources

    static Stream<Arguments> keySourceHeaders() {
        return Stream.of(Arguments.of("jku"), Arguments.of("x5u"), Arguments.of("jwk"), Arguments.of("x5c"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keySourceHeaders")
    void a3_keySourceHeader_isRejected_andNeverFetched(String name) throws Exception {
        try (JwksServer attacker = JwksServer.withKeys(POOL_KID, TestKeys.ATTACKER)) {
            Object value = switch (name) {
                case "jwk" -> TestKeys.jwk(TestKeys.ATTACKER, POOL_KID);
                case "x5c" -> List.of(Base64.getEncoder().encodeToString(TestKeys.ATTACKER.getPublic().getEncoded()));
                default -> attacker.jwksUrl().toString();
            };
            String forged = rs256(with(header(), name, value), claims(), TestKeys.ATTACKER.getPrivate());

            assertRejected(forged, Reason.UNSUPPORTED_HEADER);
            assertThat(attacker.requests()).isZero();
        }
    }

    @Test
    void a3_keysComeFromTheConfiguredUrl_neverFromIss() throws Exception {
        try (JwksServer attacker = JwksServer.withKeys(POOL_KID, TestKeys.ATTACKER, "attacker-kid", TestKeys.ATTACKER)) {
            Map<String, Object> claims = with(claims(), "iss", attacker.issuer());

            assertRejected(rs256(header(), claims, TestKeys.ATTACKER.getPrivate()), Reason.BAD_SIGNATURE);
            assertRejected(rs256(with(header(), "kid", "attacker-kid"), claims, TestKeys.ATTACKER.getPrivate()), Reason.UNKNOWN_KEY);
            assertThat(attacker.requests()).isZero();
        }
    }

    @Test
    void a3_tokenSignedByAnotherKeyUnderThePoolKid_isRejected() {
        assertRejected(rs256(header(), claims(), TestKeys.ATTACKER.getPrivate()), Reason.BAD_SIGNATURE);
    }

    @Test
    void a3_tamperedPayload_isRejected() {
        String[] parts = validToken().split("\\.");
        String tampered = parts[0] + "." + b64(json(with(claims(), "sub", "someone-else"))) + "." + parts[2];
        assertRejected(tampered, Reason.BAD_SIGNATURE);
    }

    // ------------------------------------------------------------------ A4: crit, cty, nested/encrypted

    @Test
    void a4_unknownCrit_isRejected() {
        Map<String, Object> h = with(with(header(), "crit", List.of("https://example.com/ext")), "https://example.com/ext", true);
        assertRejected(token(h, claims()), Reason.UNSUPPORTED_HEADER);
        assertRejected(token(with(header(), "crit", List.of("exp")), claims()), Reason.UNSUPPORTED_HEADER);
        assertRejected(token(with(with(header(), "crit", List.of("b64")), "b64", false), claims()), Reason.UNSUPPORTED_HEADER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "application/jwt", "JWE", "text/plain"})
    void a4_ctyHeader_isRejected(String cty) {
        assertRejected(token(with(header(), "cty", cty), claims()), Reason.UNSUPPORTED_HEADER);
    }

    @Test
    void a4_nestedJwtAsPayload_isRejected() {
        String inner = validToken();
        String nested = rs256Raw(json(with(header(), "cty", "JWT")), "\"" + inner + "\"", TestKeys.POOL.getPrivate());
        assertThatThrownBy(() -> verifier.verify(nested)).isInstanceOf(TokenInvalidException.class);
    }

    @Test
    void a4_encryptedToken_isRejected() {
        String jweHeader = b64("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"kid\":\"" + POOL_KID + "\"}");
        String jwe = jweHeader + ".a2V5." + "aXY." + "Y2lwaGVydGV4dA." + "dGFn";
        assertRejected(jwe, Reason.MALFORMED);
        assertRejected(token(with(header(), "enc", "A256GCM"), claims()), Reason.UNSUPPORTED_HEADER);
        assertRejected(token(with(header(), "zip", "DEF"), claims()), Reason.UNSUPPORTED_HEADER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWE", "dpop+jwt", "logout+jwt", "secevent+jwt"})
    void a4_typOtherThanJwt_isRejected(String typ) {
        assertRejected(token(with(header(), "typ", typ), claims()), Reason.UNSUPPORTED_HEADER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "at+jwt", "application/at+jwt"})
    void a4_typJwt_isAccepted(String typ) {
        assertThat(verifier.verify(token(with(header(), "typ", typ), claims())).sub()).isNotBlank();
    }

    // ------------------------------------------------------------------ A5: required claims, times, leeway

    @ParameterizedTest
    @ValueSource(strings = {"exp", "iat", "sub", "token_use", "client_id", "iss"})
    void a5_requiredClaimMissing_isRejected(String claim) {
        assertRejected(token(header(), with(claims(), claim, null)), Reason.MISSING_CLAIM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exp", "iat", "sub", "token_use", "client_id", "iss"})
    void a5_requiredClaimNull_isRejected(String claim) {
        String payload = json(claims()).replaceFirst("\"" + claim + "\":(\"[^\"]*\"|\\d+)", "\"" + claim + "\":null");
        assertRejected(rs256Raw(json(header()), payload, TestKeys.POOL.getPrivate()), Reason.MISSING_CLAIM);
    }

    static Stream<Arguments> nonNumericTimes() {
        return Stream.of(
                Arguments.of("exp", "\"9999999999\""), Arguments.of("exp", "true"), Arguments.of("exp", "[9999999999]"),
                Arguments.of("exp", "{}"), Arguments.of("exp", "9999999999.5"), Arguments.of("exp", "1e11"),
                Arguments.of("exp", "-1"), Arguments.of("exp", "99999999999999999999999"),
                Arguments.of("exp", "1000000000000000000"), Arguments.of("iat", "9223372036854775807"),
                Arguments.of("nbf", "253402300800"),
                Arguments.of("iat", "\"now\""), Arguments.of("iat", "1.0"),
                Arguments.of("nbf", "\"0\""), Arguments.of("nbf", "false"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("nonNumericTimes")
    void a5_nonNumericTime_isRejected(String claim, String jsonValue) {
        Map<String, Object> claims = with(claims(), claim, "PLACEHOLDER");
        String payload = json(claims).replace("\"PLACEHOLDER\"", jsonValue);
        assertRejected(rs256Raw(json(header()), payload, TestKeys.POOL.getPrivate()), Reason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "token_use", "client_id", "iss", "username", "jti"})
    void a5_stringClaimOfAnotherType_isRejected(String claim) {
        assertRejected(token(header(), with(claims(), claim, List.of("x"))), Reason.MALFORMED);
    }

    @Test
    void a5_expired_isRejected() {
        long now = clock.epochSecond();
        assertRejected(token(header(), with(with(claims(), "iat", now - 7200), "exp", now - 3600)), Reason.EXPIRED);
    }

    @Test
    void a5_expiry_leewayBoundary() {
        long now = clock.epochSecond();
        Map<String, Object> old = with(claims(), "iat", now - 3600);
        assertThat(verifier.verify(token(header(), with(old, "exp", now - 4))).sub()).isNotBlank();
        assertRejected(token(header(), with(old, "exp", now - 5)), Reason.EXPIRED);
    }

    @Test
    void a5_nbfInTheFuture_beyondLeeway_isRejected() {
        long now = clock.epochSecond();
        assertRejected(token(header(), with(claims(), "nbf", now + 6)), Reason.NOT_YET_VALID);
        assertThat(verifier.verify(token(header(), with(claims(), "nbf", now + 5))).sub()).isNotBlank();
    }

    @Test
    void a5_iatInTheFuture_beyondLeeway_isRejected() {
        long now = clock.epochSecond();
        assertRejected(token(header(), with(claims(), "iat", now + 6)), Reason.ISSUED_IN_FUTURE);
        assertThat(verifier.verify(token(header(), with(claims(), "iat", now + 5))).sub()).isNotBlank();
    }

    @Test
    void a5_leeway_isAtMost60Seconds() {
        assertThatThrownBy(() -> CognitoAccessTokenVerifier.builder(issuer, List.of(CLIENT_ID)).leeway(Duration.ofSeconds(61)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CognitoAccessTokenVerifier.builder(issuer, List.of(CLIENT_ID)).leeway(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);

        verifier = verifier(issuer, Duration.ofSeconds(60));
        long now = clock.epochSecond();
        assertThat(verifier.verify(token(header(), with(with(claims(), "iat", now - 7200), "exp", now - 59))).sub()).isNotBlank();
        assertRejected(token(header(), with(with(claims(), "iat", now - 7200), "exp", now - 60)), Reason.EXPIRED);
        assertRejected(token(header(), with(claims(), "iat", now + 61)), Reason.ISSUED_IN_FUTURE);
    }

    @Test
    void a5_zeroLeeway_isExact() {
        verifier = verifier(issuer, Duration.ZERO);
        long now = clock.epochSecond();
        assertRejected(token(header(), with(claims(), "exp", now)), Reason.EXPIRED);
        assertRejected(token(header(), with(claims(), "iat", now + 1)), Reason.ISSUED_IN_FUTURE);
    }

    @Test
    void a5_defaultLeeway_isSmall() {
        assertThat(CognitoAccessTokenVerifier.DEFAULT_LEEWAY).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }

    // ------------------------------------------------------------------ A6: token_use, client_id, iss

    @Test
    void a6_idToken_isRejected() {
        Map<String, Object> id = with(with(with(claims(), "token_use", "id"), "aud", CLIENT_ID), "client_id", null);
        id.put("client_id", CLIENT_ID); // even with a client_id claim
        assertRejected(token(header(), id), Reason.WRONG_TOKEN_USE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "refresh", "ACCESS", "access ", "Access"})
    void a6_tokenUseOtherThanAccess_isRejected(String use) {
        assertRejected(token(header(), with(claims(), "token_use", use)), Reason.WRONG_TOKEN_USE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"client-other", "CLIENT-WEB", "client-web ", "client"})
    void a6_clientIdNotConfigured_isRejected(String clientId) {
        assertRejected(token(header(), with(claims(), "client_id", clientId)), Reason.WRONG_CLIENT);
    }

    @Test
    void a6_audInsteadOfClientId_isRejected() {
        assertRejected(token(header(), with(with(claims(), "client_id", null), "aud", CLIENT_ID)), Reason.MISSING_CLAIM);
    }

    @Test
    void a6_issuerMustMatchExactly() {
        String base = issuer;
        for (String iss : List.of(base + "/", base.replace("http://", "https://"), base.toUpperCase(),
                base + "x", base.substring(0, base.length() - 1), base.replace("127.0.0.1", "localhost"), " " + base)) {
            assertRejected(token(header(), with(claims(), "iss", iss)), Reason.WRONG_ISSUER);
        }
    }

    @Test
    void a6_awsIssuer_isVerifiedBySameCode_withTheJwksUrlFromConfiguration() {
        String aws = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool";
        verifier = verifier(aws, Duration.ofSeconds(5));

        assertThat(verifier.verify(token(header(), with(claims(), "iss", aws))).sub()).isNotBlank();
        assertRejected(token(header(), claims()), Reason.WRONG_ISSUER); // the cognito-local issuer is now foreign
        assertRejected(token(header(), with(claims(), "iss", aws.replace("https", "http"))), Reason.WRONG_ISSUER);
        assertRejected(token(header(), with(claims(), "iss", aws + "/")), Reason.WRONG_ISSUER);
    }

    @Test
    void a6_issuerWithTrailingSlash_isRefusedAsConfiguration() {
        assertThatThrownBy(() -> CognitoAccessTokenVerifier.builder(issuer + "/", List.of(CLIENT_ID)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CognitoAccessTokenVerifier.builder(issuer, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ A7: malformed input

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "a.b", "a.b.c.d", "a.b.c.d.e", "..", "a..c", ".b.c", "a.b.", "...."})
    void a7_notThreeSegments_isRejected(String token) {
        assertRejected(token, Reason.MALFORMED);
    }

    @Test
    void a7_nullToken_isRejected() {
        assertRejected(null, Reason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"RS256\"", "null", "1", "{", "{\"alg\":\"RS256\",\"kid\":\"pool-key-1\"} {}",
            "{\"alg\":\"RS256\",\"kid\":\"pool-key-1\",}", "{'alg':'RS256'}", "{\"alg\":\"RS256\",\"kid\":\"pool-key-1\"}x", ""})
    void a7_headerNotAJsonObject_isRejected(String header) {
        String t = Tokens.signRaw((header.isEmpty() ? "" : b64(header)) + "." + b64(json(claims())), "SHA256withRSA",
                TestKeys.POOL.getPrivate());
        assertRejected(t, Reason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"sub\"", "null", "42", "{\"sub\":\"a\"", "{} {}", "{\"sub\":NaN}"})
    void a7_payloadNotAJsonObject_isRejected(String payload) {
        assertRejected(rs256Raw(json(header()), payload, TestKeys.POOL.getPrivate()), Reason.MALFORMED);
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                Arguments.of("lone continuation", new byte[] {(byte) 0x80}),
                Arguments.of("truncated sequence", new byte[] {(byte) 0xC3}),
                Arguments.of("overlong slash", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                Arguments.of("surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                Arguments.of("beyond U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
                Arguments.of("latin-1 e acute", new byte[] {(byte) 0xE9}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void a7_invalidUtf8_isRejected(String name, byte[] bad) {
        String before = "{\"username\":\"ad";
        String after = json(with(claims(), "username", null)).substring(1);
        byte[] payload = concat(before.getBytes(StandardCharsets.UTF_8), bad, "a\",".getBytes(StandardCharsets.UTF_8),
                after.getBytes(StandardCharsets.UTF_8));
        String t = Tokens.signRaw(b64(json(header())) + "." + Tokens.b64(payload), "SHA256withRSA", TestKeys.POOL.getPrivate());
        assertRejected(t, Reason.MALFORMED);
        // the same token with valid UTF-8 in that place verifies
        byte[] good = concat(before.getBytes(StandardCharsets.UTF_8), "\u00e9".getBytes(StandardCharsets.UTF_8),
                "a\",".getBytes(StandardCharsets.UTF_8), after.getBytes(StandardCharsets.UTF_8));
        String ok = Tokens.signRaw(b64(json(header())) + "." + Tokens.b64(good), "SHA256withRSA", TestKeys.POOL.getPrivate());
        assertThat(verifier.verify(ok).username()).isEqualTo("ad\u00e9a");
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void a7_duplicateClaims_areRejected() {
        String payload = json(claims());
        String body = payload.substring(1);
        // a second sub / token_use / iss / exp, first-wins and last-wins parsers would disagree
        for (String dup : List.of("\"sub\":\"admin-sub\",", "\"token_use\":\"id\",", "\"iss\":\"https://evil.example\",",
                "\"exp\":99999999999,", "\"cognito:groups\":[\"admin\"],")) {
            assertRejected(rs256Raw(json(header()), "{" + dup + body, TestKeys.POOL.getPrivate()), Reason.MALFORMED);
        }
        // nested duplicates too
        assertRejected(rs256Raw(json(header()), "{\"x\":{\"a\":1,\"a\":2}," + body, TestKeys.POOL.getPrivate()), Reason.MALFORMED);
    }

    @Test
    void a7_duplicateHeaderParameters_areRejected() {
        assertRejected(rs256Raw("{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\"" + POOL_KID + "\"}", json(claims()),
                TestKeys.POOL.getPrivate()), Reason.MALFORMED);
        assertRejected(rs256Raw("{\"alg\":\"RS256\",\"kid\":\"x\",\"kid\":\"" + POOL_KID + "\"}", json(claims()),
                TestKeys.POOL.getPrivate()), Reason.MALFORMED);
    }

    @Test
    void a7_tokenLongerThan8KiB_isRejectedBeforeDecoding() {
        // garbage that would be MALFORMED if it were decoded: the size check comes first
        assertRejected("!".repeat(CognitoAccessTokenVerifier.MAX_TOKEN_LENGTH + 1), Reason.TOO_LARGE);
        assertRejected("a".repeat(1 << 20) + ".b.c", Reason.TOO_LARGE);
    }

    @Test
    void a7_tokenAtThe8KiBLimit_isVerified_andOneCharacterMore_isRejected() {
        String atLimit = null;
        String overLimit = null;
        for (int pad = 5000; pad < 7000 && (atLimit == null || overLimit == null); pad++) {
            String t = token(header(), with(claims(), "padding", "p".repeat(pad)));
            if (t.length() <= CognitoAccessTokenVerifier.MAX_TOKEN_LENGTH && t.length() > CognitoAccessTokenVerifier.MAX_TOKEN_LENGTH - 4) {
                atLimit = t;
            }
            if (t.length() > CognitoAccessTokenVerifier.MAX_TOKEN_LENGTH && overLimit == null) {
                overLimit = t;
            }
        }
        assertThat(verifier.verify(atLimit).sub()).isNotBlank();
        assertRejected(overLimit, Reason.TOO_LARGE);
    }

    @Test
    void a7_deeplyNestedJson_isRejected() {
        String body = json(claims()).substring(1);
        String depth11 = "[".repeat(10) + "1" + "]".repeat(10); // the payload object is level 1
        assertRejected(rs256Raw(json(header()), "{\"deep\":" + depth11 + "," + body, TestKeys.POOL.getPrivate()), Reason.MALFORMED);
        String depth9 = "[".repeat(8) + "1" + "]".repeat(8);
        assertThat(verifier.verify(rs256Raw(json(header()), "{\"deep\":" + depth9 + "," + body, TestKeys.POOL.getPrivate())).sub())
                .isNotBlank();
        // a payload built to overflow a recursive parser's stack
        String bomb = "{\"a\":" + "[".repeat(2500) + "]".repeat(2500) + "}";
        assertRejected(b64(json(header())) + "." + b64(bomb) + ".c2ln", Reason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "/", " ", "\n", "%", "\u00e9", "*"})
    void a7_charactersOutsideBase64url_areRejected(String c) {
        String t = validToken();
        int dot = t.indexOf('.');
        assertRejected(t.substring(0, dot) + "." + c + t.substring(dot + 1), Reason.MALFORMED);
        assertRejected(t + c, Reason.MALFORMED);
    }

    // ------------------------------------------------------------------ A8: canonical base64url

    /** Every other spelling of a segment that the JDK decodes to the same bytes (altered unused low bits). */
    static List<String> alternativeSpellings(String segment) {
        int unused = switch (segment.length() % 4) {
            case 2 -> 4;
            case 3 -> 2;
            default -> 0;
        };
        List<String> out = new ArrayList<>();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(segment.charAt(segment.length() - 1));
        for (int bits = 1; bits < (1 << unused); bits++) {
            out.add(segment.substring(0, segment.length() - 1) + alphabet.charAt(last | bits));
        }
        return out;
    }

    @Test
    void a8_nonCanonicalBase64_isRejected() {
        // pick claims so that every segment has unused bits: header/payload lengths not multiples of 3
        String token = null;
        for (int i = 0; token == null && i < 12; i++) {
            String t = token(with(header(), "typ", "JWT"), with(claims(), "jti", "j".repeat(i)));
            String[] p = t.split("\\.");
            if (p[0].length() % 4 != 0 && p[1].length() % 4 != 0 && p[2].length() % 4 != 0) {
                token = t;
            }
        }
        assertThat(token).as("a token whose three segments all have spare bits").isNotNull();
        assertThat(verifier.verify(token).sub()).isNotBlank();

        String[] p = token.split("\\.");
        Base64.Decoder jdk = Base64.getUrlDecoder();
        int spellings = 0;
        for (int segment = 0; segment < 3; segment++) {
            for (String alt : alternativeSpellings(p[segment])) {
                assertThat(jdk.decode(alt)).as("the JDK decodes the altered spelling to the same bytes")
                        .isEqualTo(jdk.decode(p[segment]));
                String[] q = p.clone();
                q[segment] = alt;
                assertRejected(String.join(".", q), Reason.NON_CANONICAL_ENCODING);
                spellings++;
            }
        }
        assertThat(spellings).isGreaterThanOrEqualTo(3 + 3 + 3);
    }

    @Test
    void a8_paddedSegments_areRejected() {
        String t = validToken();
        String[] p = t.split("\\.");
        for (int segment = 0; segment < 3; segment++) {
            for (String pad : List.of("=", "==")) {
                String[] q = p.clone();
                q[segment] = q[segment] + pad;
                assertRejected(String.join(".", q), Reason.NON_CANONICAL_ENCODING);
            }
        }
    }

    @Test
    void a8_impossibleSegmentLength_isRejected() {
        String[] p = validToken().split("\\.");
        // a length of 4k+1 cannot come from any byte string
        String header = p[0].length() % 4 == 0 ? p[0] + "A" : p[0] + "AAAA".substring(0, 5 - p[0].length() % 4);
        assertThat(header.length() % 4).isEqualTo(1);
        assertRejected(header + "." + p[1] + "." + p[2], Reason.MALFORMED);
    }

    // ------------------------------------------------------------------ misc

    @Test
    void rejections_neverCarryTheToken() {
        String t = token(header(), with(claims(), "client_id", "client-other"));
        assertThatThrownBy(() -> verifier.verify(t)).satisfies(e -> {
            assertThat(e.getMessage()).doesNotContain(t.split("\\.")[1]).doesNotContain(t.split("\\.")[2]);
            assertThat(e.getStackTrace()).isEmpty();
        });
    }

    @Test
    void reasons_coverTheIssueList() {
        assertThat(Set.of(Reason.values())).extracting(Enum::name).contains("EXPIRED", "NOT_YET_VALID", "ISSUED_IN_FUTURE",
                "WRONG_ISSUER", "WRONG_CLIENT", "WRONG_TOKEN_USE", "BAD_SIGNATURE", "UNKNOWN_KEY", "BAD_ALGORITHM",
                "MALFORMED", "TOO_LARGE", "MISSING_CLAIM", "UNSUPPORTED_HEADER", "JWKS_UNAVAILABLE");
    }
}
