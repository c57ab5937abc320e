package dev.userapi.identity;

/**
 * Verifies an ID token from the user pool's token endpoint: signature by the pool's JWKS, issuer,
 * audience (our app client), {@code token_use=id}, expiry, and the {@code nonce} this sign-in sent.
 */
@FunctionalInterface
public interface IdTokenVerifier {
    /**
     * @return the verified token's claims
     * @throws dev.userapi.core.problem.UnauthorizedException if any check fails
     */
    IdTokenClaims verify(String idToken, String expectedNonce);

    /** The claims the hosted sign-in uses. */
    record IdTokenClaims(String sub, String email, boolean emailVerified, String name) {
    }
}
