package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.n;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.UserNotFoundException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Deleting an account: the profile is replaced by a tombstone ({@link UserItems#tombstone}) and its
 * memberships and administrator count go in the same transaction. The tombstone refuses the
 * account's remaining tokens, and as long as it exists no profile can be created under the same id
 * ({@link RoleStore#createIfAbsent} finds it), so {@code GET /me} cannot bring the account back.
 */
final class Tombstones {
    private final String table;
    private final List<String> knownRoles;
    private final Clock clock;
    private final ProfileStore profiles;
    private final UserTransactions transactions;
    private final RoleStore roles;

    Tombstones(String table, List<String> knownRoles, Clock clock, ProfileStore profiles, UserTransactions transactions,
               RoleStore roles) {
        this.roles = roles;
        this.table = table;
        this.knownRoles = List.copyOf(knownRoles);
        this.clock = clock;
        this.profiles = profiles;
        this.transactions = transactions;
    }

    /**
     * @throws UserNotFoundException if there is no live profile
     * @throws ConflictException     if the user is the last administrator
     */
    void delete(String id) {
        roles.ensureCounter();
        transactions.readModifyWrite("delete profile", () -> {
            UserProfile current = profiles.find(id).orElseThrow(UserNotFoundException::new);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                    .item(UserItems.tombstone(id, clock.millis()))
                    .conditionExpression("#version = :version")
                    .expressionAttributeNames(Map.of("#version", "version"))
                    .expressionAttributeValues(Map.of(":version", n(current.version())))
                    .build()).build());
            for (String role : knownRoles) {
                writes.add(transactions.deleteRole(id, role));
            }
            int counterIndex = -1;
            if (current.hasRole(AppConfig.ADMIN_ROLE) && current.status() == UserStatus.ENABLED) {
                counterIndex = writes.size();
                writes.add(transactions.adminCount(-1));
            }
            return new UserTransactions.Plan(writes, counterIndex);
        });
    }
}
