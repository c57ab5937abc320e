package dev.userapi.core.user;

import java.time.Instant;

/**
 * A signed-in session: one per login, found by the SHA-256 of its refresh token (the token itself is
 * never stored). {@code id} is a random identifier that is safe to show; {@code originJti} (null if
 * unknown) is the {@code origin_jti} of the session's tokens, with which a logout refuses its access tokens.
 */
public record Session(String tokenHash, String id, String userId, Instant createdAt, Instant lastUsedAt,
                      String sourceIp, String userAgent, String originJti) {

    public Session(String tokenHash, String id, String userId, Instant createdAt, Instant lastUsedAt, String sourceIp,
                   String userAgent) {
        this(tokenHash, id, userId, createdAt, lastUsedAt, sourceIp, userAgent, null);
    }
}
