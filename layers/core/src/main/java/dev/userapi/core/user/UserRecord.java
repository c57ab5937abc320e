package dev.userapi.core.user;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What every authorization decision needs of a user: status, current roles and two revocation
 * instants (epoch milliseconds):
 * <ul>
 *   <li>{@code revokedBefore}: access tokens issued before it are refused by the authorizer (set by
 *       sign-out everywhere, admin sign-out, disable, delete and role changes);</li>
 *   <li>{@code sessionsRevokedBefore}: sessions begun before it can no longer refresh (set by the
 *       same events except role changes: after a role change the client refreshes to get tokens
 *       carrying the new roles).</li>
 * </ul>
 * and the sessions ended one by one (logout): {@code revokedOriginJtis}, the {@code origin_jti} of each
 * with the instant (epoch seconds) after which its access tokens have all expired anyway.
 */
public record UserRecord(String id, UserStatus status, List<String> roles, OptionalLong revokedBeforeMillis,
                         OptionalLong sessionsRevokedBeforeMillis, Map<String, Long> revokedOriginJtis) {
    public UserRecord {
        roles = List.copyOf(roles);
        revokedOriginJtis = Map.copyOf(revokedOriginJtis);
    }

    public UserRecord(String id, UserStatus status, List<String> roles, OptionalLong revokedBeforeMillis,
                      OptionalLong sessionsRevokedBeforeMillis) {
        this(id, status, roles, revokedBeforeMillis, sessionsRevokedBeforeMillis, Map.of());
    }

    public UserRecord(String id, UserStatus status, List<String> roles, OptionalLong revokedBeforeMillis) {
        this(id, status, roles, revokedBeforeMillis, revokedBeforeMillis);
    }

    /** True if the session a token belongs to ({@code origin_jti}) was ended by a logout. */
    public boolean revokesSession(String originJti) {
        return originJti != null && revokedOriginJtis.containsKey(originJti);
    }

    /**
     * True if a token issued at {@code issuedAtSeconds} (JWT {@code iat}, whole seconds) was revoked.
     * Compared in milliseconds, so a token from the same second as the revocation counts as earlier:
     * refusing a fresh token for at most a second is safer than accepting an old one.
     */
    public boolean revokes(long issuedAtSeconds) {
        return revokedBeforeMillis.isPresent() && issuedAtSeconds * 1000L < revokedBeforeMillis.getAsLong();
    }

    /** True if a session begun at {@code createdAtMillis} has been ended. */
    public boolean endsSessionFrom(long createdAtMillis) {
        return sessionsRevokedBeforeMillis.isPresent() && createdAtMillis < sessionsRevokedBeforeMillis.getAsLong();
    }

    public boolean isActive() {
        return status == UserStatus.ENABLED;
    }
}
