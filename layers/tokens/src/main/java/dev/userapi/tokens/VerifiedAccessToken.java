package dev.userapi.tokens;

import java.util.Objects;
import java.util.Optional;

/**
 * The facts of an access token that passed every check.
 *
 * @param sub       the Cognito user's immutable id
 * @param username  the {@code username} claim, or {@code sub} if the token has none
 * @param clientId  the app client the token was issued to
 * @param issuedAt  {@code iat}, epoch seconds: what revocation ({@code revokedBefore}) compares with
 * @param expiresAt {@code exp}, epoch seconds
 * @param jti       the token's id, if it has one
 * @param authTime  {@code auth_time}, epoch seconds: when the user last signed in with their credentials (it stays
 *                  the same across refreshes); 0 when the token has none
 * @param originJti {@code origin_jti}: the session (refresh token) the token belongs to, the same across
 *                  refreshes, if it has one (Cognito adds it when token revocation is on)
 */
public record VerifiedAccessToken(String sub, String username, String clientId, long issuedAt, long expiresAt,
                                  Optional<String> jti, long authTime, Optional<String> originJti) {
    public VerifiedAccessToken {
        Objects.requireNonNull(sub, "sub");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(originJti, "originJti");
    }

    /** A token without {@code origin_jti}. */
    public VerifiedAccessToken(String sub, String username, String clientId, long issuedAt, long expiresAt,
                               Optional<String> jti, long authTime) {
        this(sub, username, clientId, issuedAt, expiresAt, jti, authTime, Optional.empty());
    }

    /** A token without {@code auth_time} and {@code origin_jti}. */
    public VerifiedAccessToken(String sub, String username, String clientId, long issuedAt, long expiresAt,
                               Optional<String> jti) {
        this(sub, username, clientId, issuedAt, expiresAt, jti, 0L, Optional.empty());
    }
}
