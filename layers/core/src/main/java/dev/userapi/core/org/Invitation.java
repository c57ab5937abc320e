package dev.userapi.core.org;

import java.time.Instant;

/**
 * An invitation to an organization. The token is never stored: the item holds its SHA-256
 * ({@link OrgItems#tokenHash}).
 *
 * @param status     {@code PENDING}, {@code ACCEPTED} or {@code REVOKED} as stored ({@link #statusAt} adds {@code EXPIRED})
 * @param validUntil after this instant the token is refused (410)
 */
public record Invitation(String id, String orgId, String email, OrgRole role, Instant createdAt, Instant validUntil,
                         String status, String invitedBy) {
    public static final String PENDING = "PENDING";
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REVOKED = "REVOKED";
    public static final String EXPIRED = "EXPIRED";

    /** The status a client sees at {@code now}: a pending invitation past its validity is {@code EXPIRED}. */
    public String statusAt(Instant now) {
        return PENDING.equals(status) && !now.isBefore(validUntil) ? EXPIRED : status;
    }
}
