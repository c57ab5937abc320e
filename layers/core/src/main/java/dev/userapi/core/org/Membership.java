package dev.userapi.core.org;

import java.time.Instant;

/** A user's membership of an organization, with its role. */
public record Membership(String orgId, String userId, OrgRole role, Instant joinedAt) {
}
