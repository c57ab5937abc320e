package dev.userapi.authorizer;


import dev.userapi.core.user.UserRecord;
import java.util.Optional;

/**
 * The one read the authorizer makes per decision: {@code UserRepository::findRecord} in production.
 * Throws (any runtime exception) when the store cannot answer; the authorizer then refuses.
 */
@FunctionalInterface
interface UserRecords {
    Optional<UserRecord> findRecord(String sub);
}
