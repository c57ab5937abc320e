package dev.userapi.tokens;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.SignatureGenerationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The benchmark's view into the verifier's stages (called by the benchmark only, never by the verifier: it lives
 * here, in the verifier's package, so that it can run the package-private steps the verifier runs, in the same
 * order, on the same token, without a split package between the benchmark and this layer):
 * <ul>
 *   <li>{@code decode}: {@link JwtParts#decompose} (length, segments, canonical base64url, strict JSON of header and
 *       payload, the header from the verifier's {@link HeaderCache} as in production once the token has verified), the
 *       header checks and the claim-type checks — the one parse;</li>
 *   <li>{@code signature}: {@link Rs256#verify} on that parse (SHA-256, RSA; the signature segment is decoded with the
 *       others, in {@code decode});</li>
 *   <li>{@code claims}: java-jwt's compiled claim checks (issuer, token use, client, times) over that parse, with an
 *       algorithm that verifies nothing, so the RSA operation is not counted twice.</li>
 * </ul>
 */
public final class VerifierStages {
    private static final List<String> REQUIRED_STRINGS = List.of("iss", "sub", "token_use", "client_id");
    private static final List<String> REQUIRED_TIMES = List.of("exp", "iat");
    private static final List<String> TIMES = List.of("exp", "iat", "nbf", "auth_time");
    private static final List<String> OPTIONAL_STRINGS = List.of("username", "jti");

    private VerifierStages() {
    }

    /** The stage {@code name} ({@code decode}, {@code signature}, {@code claims}) on {@code token}; each call returns a small number to sink. */
    public static Callable<Integer> stage(String name, String token, CognitoAccessTokenVerifier production, String clientId) {
        production.verify(token); // a valid token, whose header the production verifier now has cached, as it would
        HeaderCache headers = production.headers();
        JwtParts parts = decode(token, headers);
        String issuer = production.issuer();
        JwkSet.SigningKey key = production.jwks().key(parts.header().get("kid").textValue());
        return switch (name) {
            case "decode" -> () -> decode(token, headers).getToken().length();
            case "signature" -> {
                Rs256 rs256 = new Rs256(key.publicKey(), RsaProvider.preferNative());
                yield () -> {
                    rs256.verify(parts);
                    return 1;
                };
            }
            case "claims" -> {
                JWTVerifier verifier = ((JWTVerifier.BaseVerification) JWT.require(new NoSignature())
                        .withIssuer(issuer)
                        .withClaim("token_use", CognitoAccessTokenVerifier.ACCESS)
                        .withClaim("client_id", (claim, jwt) -> claim.asString() != null && Set.of(clientId).contains(claim.asString()))
                        .withClaimPresence("sub")
                        .withClaimPresence("exp")
                        .withClaimPresence("iat")
                        .acceptLeeway(CognitoAccessTokenVerifier.DEFAULT_LEEWAY.toSeconds()))
                        .build(Clock.systemUTC());
                yield () -> verifier.verify(parts).getToken().length();
            }
            default -> throw new IllegalArgumentException("unknown stage " + name);
        };
    }

    private static JwtParts decode(String token, HeaderCache headers) {
        JwtParts parts = JwtParts.decompose(token, CognitoAccessTokenVerifier.MAX_TOKEN_LENGTH, headers);
        CognitoAccessTokenVerifier.checkHeader(parts.header());
        ClaimChecks.check(parts.payload(), REQUIRED_STRINGS, REQUIRED_TIMES, TIMES, OPTIONAL_STRINGS);
        return parts;
    }

    /** RS256 by name, verifying nothing: java-jwt's claim checks alone. */
    private static final class NoSignature extends Algorithm {
        NoSignature() {
            super("RS256", "none");
        }

        @Override
        public void verify(DecodedJWT jwt) {
            // the signature is the "signature" stage
        }

        @Override
        public byte[] sign(byte[] contentBytes) throws SignatureGenerationException {
            throw new SignatureGenerationException(this, new UnsupportedOperationException());
        }
    }
}
