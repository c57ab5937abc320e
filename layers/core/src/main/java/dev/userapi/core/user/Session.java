package dev.userapi.core.user;

import java.time.Instant;

/**
 * A signed-in session: one per login, found by the SHA-256 of its refresh token (the token itself is
 * never stored). {@code id} is a random identifier that is safe to show.
 */
public record Session(String tokenHash, String id, String userId, Instant createdAt, Instant lastUsedAt,
                      String sourceIp, String userAgent) {
}
