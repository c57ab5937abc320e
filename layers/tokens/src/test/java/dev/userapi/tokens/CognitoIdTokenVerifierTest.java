package dev.userapi.tokens;

import static dev.userapi.tokens.Tokens.CLIENT_ID;
import static dev.userapi.tokens.Tokens.POOL_KID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.tokens.TokenInvalidException.Reason;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hosted sign-in's ID-token checks: everything the access-token verifier checks, plus aud, token_use=id and nonce. */
class CognitoIdTokenVerifierTest {
    private static final String NONCE = "n0nce-from-this-sign-in";
    private JwksServer server;
    private MutableClock clock;
    private CognitoIdTokenVerifier verifier;

    @BeforeEach
    void setUp() throws Exception {
        server = JwksServer.withKeys(POOL_KID, TestKeys.POOL);
        clock = MutableClock.atNow();
        verifier = new CognitoIdTokenVerifier(server.issuer(), CLIENT_ID, server.jwksUrl(), Duration.ofSeconds(5), clock);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Map<String, Object> idClaims() {
        long now = clock.epochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("sub", "5f3b1c2a-8d4e-4f6a-9b7c-0123456789ab");
        c.put("aud", CLIENT_ID);
        c.put("iss", server.issuer());
        c.put("token_use", "id");
        c.put("nonce", NONCE);
        c.put("email", "ada@example.com");
        c.put("email_verified", true);
        c.put("name", "Ada");
        c.put("auth_time", now);
        c.put("iat", now);
        c.put("exp", now + 3600);
        return c;
    }

    private String token(Consumer<Map<String, Object>> change) {
        Map<String, Object> claims = idClaims();
        change.accept(claims);
        return Tokens.rs256(Tokens.header(), claims, TestKeys.POOL.getPrivate());
    }

    private void refused(String token, Reason reason) {
        assertThatThrownBy(() -> verifier.verify(token, NONCE))
                .isInstanceOfSatisfying(TokenInvalidException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void aGenuineIdToken_withThisSignInsNonce_isAccepted() {
        VerifiedIdToken verified = verifier.verify(token(c -> { }), NONCE);
        assertThat(verified.sub()).isEqualTo("5f3b1c2a-8d4e-4f6a-9b7c-0123456789ab");
        assertThat(verified.email()).contains("ada@example.com");
        assertThat(verified.emailVerified()).isTrue();
        assertThat(verified.name()).contains("Ada");
    }

    @Test
    void anotherSignInsNonce_isRefused() {
        refused(token(c -> c.put("nonce", "someone-elses")), Reason.WRONG_NONCE);
        refused(token(c -> c.remove("nonce")), Reason.MISSING_CLAIM);
    }

    @Test
    void anotherClientsToken_isRefused() {
        refused(token(c -> c.put("aud", "other-client")), Reason.WRONG_CLIENT);
    }

    @Test
    void anAccessToken_isRefused() {
        refused(token(c -> c.put("token_use", "access")), Reason.WRONG_TOKEN_USE);
    }

    @Test
    void anotherIssuer_isRefused() {
        refused(token(c -> c.put("iss", server.issuer() + "/")), Reason.WRONG_ISSUER);
    }

    @Test
    void anExpiredToken_isRefused() {
        String token = token(c -> { });
        clock.advance(Duration.ofHours(2));
        refused(token, Reason.EXPIRED);
    }

    @Test
    void aTokenSignedWithAnotherKey_isRefused() {
        refused(Tokens.rs256(Tokens.header(), idClaims(), TestKeys.ATTACKER.getPrivate()), Reason.BAD_SIGNATURE);
    }

    @Test
    void hs256MacedWithThePublicKey_isRefused() {
        Map<String, Object> header = Tokens.header();
        header.put("alg", "HS256");
        refused(Tokens.hs256(header, idClaims(), TestKeys.POOL.getPublic().getEncoded()), Reason.BAD_ALGORITHM);
    }

    @Test
    void tamperedClaims_areRefused() {
        String[] parts = token(c -> { }).split("\\.");
        String forged = Tokens.b64(Tokens.json(idClaims()).replace("ada@example.com", "eve@example.com"));
        refused(parts[0] + "." + forged + "." + parts[2], Reason.BAD_SIGNATURE);
    }
}
