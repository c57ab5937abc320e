package dev.userapi.core.org;

import java.time.Instant;

/** An organization: {@code memberCount} and {@code owners} are kept by the membership transactions. */
public record Org(String id, String name, Instant createdAt, long memberCount, long owners) {
}
