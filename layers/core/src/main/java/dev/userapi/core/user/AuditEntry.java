package dev.userapi.core.user;

import java.time.Instant;
import java.util.Map;

/** One line of a user's audit trail: who did what to the user, and when. */
public record AuditEntry(Instant at, String actor, String action, String target, Map<String, Object> details) {
    public AuditEntry {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
