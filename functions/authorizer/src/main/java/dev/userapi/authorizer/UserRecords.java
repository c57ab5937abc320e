package dev.userapi.authorizer;


import dev.userapi.core.user.UserRecord;
import java.util.Optional;

/**
 * The one read the authorizer makes per decision: {@code UserRepository::findRecord} in production.
 * Throws (any runtime exception) when the store cannot answer; the authorizer then refuses. Public for
 * {@link AuthorizerHandler}'s constructor with dependencies (tests, the benchmark).
 */
@FunctionalInterface
public interface UserRecords {
    Optional<UserRecord> findRecord(String sub);
}
