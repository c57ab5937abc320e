package dev.userapi.tokens;

import java.util.Optional;

/** An ID token that passed every check: who signed in, with the claims the hosted sign-in needs. */
public record VerifiedIdToken(String sub, Optional<String> email, boolean emailVerified, Optional<String> name,
                              long issuedAt, long expiresAt) {
}
