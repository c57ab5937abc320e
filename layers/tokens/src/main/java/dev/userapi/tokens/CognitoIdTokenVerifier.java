package dev.userapi.tokens;

import static dev.userapi.tokens.TokenInvalidException.Reason.MALFORMED;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies Cognito ID tokens returned by the user pool's token endpoint to the hosted sign-in, with
 * the same strictness as {@link CognitoAccessTokenVerifier} (size cap, canonical encoding, strict
 * JSON, RS256 only, {@code kid} from the configured JWKS only, refused headers, typed times), and the
 * ID token's own rules: {@code aud} is our app client, {@code token_use} is {@code id}, and
 * {@code nonce} is the one the sign-in sent (so a token from another sign-in cannot be injected).
 */
public final class CognitoIdTokenVerifier {
    public static final String ID = "id";
    private static final List<String> REQUIRED_STRINGS = List.of("iss", "sub", "aud", "token_use", "nonce");
    private static final List<String> TIMES = List.of("exp", "iat", "nbf", "auth_time");

    private final String issuer;
    private final String clientId;
    private final long leewaySeconds;
    private final Clock clock;
    private final JwksCache jwks;
    private final Map<String, Map.Entry<JwkSet.SigningKey, Algorithm>> algorithms = new ConcurrentHashMap<>();

    /**
     * @param issuer   the exact {@code iss}, as for access tokens
     * @param clientId the app client the sign-in ran for ({@code aud})
     * @param jwksUrl  the pool's JWKS
     */
    public CognitoIdTokenVerifier(String issuer, String clientId, URI jwksUrl, Duration leeway, Clock clock) {
        this(issuer, clientId, new JwksCache(jwksUrl, new HttpJwksFetcher(), clock), leeway, clock);
    }

    CognitoIdTokenVerifier(String issuer, String clientId, JwksCache jwks, Duration leeway, Clock clock) {
        if (leeway.isNegative() || leeway.compareTo(CognitoAccessTokenVerifier.MAX_LEEWAY) > 0) {
            throw new IllegalArgumentException("leeway must be 0.." + CognitoAccessTokenVerifier.MAX_LEEWAY.toSeconds() + " s");
        }
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.leewaySeconds = leeway.toSeconds();
        this.clock = clock;
        this.jwks = jwks;
    }

    /**
     * @throws TokenInvalidException if the token must not be accepted, or its nonce is not {@code expectedNonce}
     */
    public VerifiedIdToken verify(String token, String expectedNonce) {
        if (expectedNonce == null || expectedNonce.isEmpty()) {
            throw new IllegalArgumentException("a sign-in always has a nonce");
        }
        JwtParts parts = JwtParts.decompose(token, CognitoAccessTokenVerifier.MAX_TOKEN_LENGTH);
        String kid = CognitoAccessTokenVerifier.checkHeader(parts.header());
        ObjectNode claims = parts.payload();
        checkClaimTypes(claims);
        JWTVerifier verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithmFor(jwks.key(kid)))
                .withIssuer(issuer)
                .withAudience(clientId)
                .withClaim("token_use", ID)
                .withClaim("nonce", expectedNonce)
                .withClaimPresence("sub")
                .withClaimPresence("exp")
                .withClaimPresence("iat")
                .acceptLeeway(leewaySeconds))
                .build(clock);
        try {
            verifier.verify(parts);
        } catch (JWTVerificationException e) {
            throw CognitoAccessTokenVerifier.translate(e);
        } catch (RuntimeException e) {
            throw new TokenInvalidException(MALFORMED, "java-jwt failed: " + e.getClass().getSimpleName());
        }
        JsonNode verified = claims.get("email_verified");
        boolean emailVerified = verified != null && (verified.isBoolean() ? verified.booleanValue() : "true".equals(verified.asText()));
        return new VerifiedIdToken(claims.get("sub").textValue(),
                Optional.ofNullable(claims.get("email")).map(JsonNode::textValue),
                emailVerified,
                Optional.ofNullable(claims.get("name")).map(JsonNode::textValue),
                claims.get("iat").longValue(), claims.get("exp").longValue());
    }

    private Algorithm algorithmFor(JwkSet.SigningKey key) {
        Map.Entry<JwkSet.SigningKey, Algorithm> cached = algorithms.get(key.kid());
        if (cached == null || cached.getKey() != key) {
            cached = Map.entry(key, new Rs256(key.publicKey(), RsaProvider.preferNative()));
            algorithms.put(key.kid(), cached);
        }
        return cached.getValue();
    }

    private static void checkClaimTypes(ObjectNode claims) {
        ClaimChecks.check(claims, REQUIRED_STRINGS, List.of("exp", "iat"), TIMES, List.of("email", "name", "cognito:username"));
    }
}
