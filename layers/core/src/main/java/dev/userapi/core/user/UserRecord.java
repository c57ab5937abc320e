package dev.userapi.core.user;

import java.util.List;
import java.util.OptionalLong;

/**
 * What the authorizer and the session checks need of a user: status, current roles and the
 * instant before which every token is refused ({@code revokedBefore}, epoch milliseconds).
 */
public record UserRecord(String id, UserStatus status, List<String> roles, OptionalLong revokedBeforeMillis) {
    public UserRecord {
        roles = List.copyOf(roles);
    }

    /** True if a token issued at {@code issuedAtSeconds} (JWT {@code iat}) was revoked. */
    public boolean revokes(long issuedAtSeconds) {
        return revokedBeforeMillis.isPresent() && issuedAtSeconds * 1000L < revokedBeforeMillis.getAsLong();
    }

    public boolean isActive() {
        return status == UserStatus.ENABLED;
    }
}
