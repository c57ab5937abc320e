package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.UserNotFoundException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Roles: the profile's {@code roles} list, one membership item per role (listed by role) and the
 * administrator count, always written together in one transaction.
 */
final class RoleStore {
    private final DynamoDbClient db;
    private final String table;
    private final List<String> knownRoles;
    private final Clock clock;
    private final ProfileStore profiles;
    private final UserTransactions transactions;

    RoleStore(DynamoDbClient db, String table, List<String> knownRoles, Clock clock, ProfileStore profiles,
              UserTransactions transactions) {
        this.db = db;
        this.table = table;
        this.knownRoles = List.copyOf(knownRoles);
        this.clock = clock;
        this.profiles = profiles;
        this.transactions = transactions;
    }

    /**
     * Creates the profile with its memberships (and counts it if it is an administrator) unless a
     * profile or a tombstone exists.
     *
     * @return true if this call created it
     */
    boolean createIfAbsent(UserProfile profile) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(UserItems.toItem(profile))
                .conditionExpression("attribute_not_exists(pk)")
                .build()).build());
        for (String role : profile.roles()) {
            writes.add(transactions.putRole(profile.id(), profile.email(), role));
        }
        if (profile.hasRole(AppConfig.ADMIN_ROLE)) {
            writes.add(transactions.adminCount(+1));
        }
        try {
            transactions.run("create profile", writes);
            return true;
        } catch (TransactionCanceledException e) {
            if (UserTransactions.failedCondition(e, 0)) {
                return false;
            }
            throw DynamoErrors.translate("TransactWriteItems", e);
        }
    }

    /**
     * Replaces the roles, revokes the tokens issued before now (they carry the old roles) and keeps
     * the count. The profile's write is conditioned on whether it was an administrator when read, so
     * a concurrent change makes this read again and redo.
     *
     * @throws ConflictException if this would leave the system without an administrator
     */
    UserProfile replaceRoles(String id, List<String> roles) {
        transactions.readModifyWrite("replace roles", () -> {
            UserProfile current = profiles.find(id).orElseThrow(UserNotFoundException::new);
            boolean hadAdmin = current.hasRole(AppConfig.ADMIN_ROLE);
            boolean hasAdmin = roles.contains(AppConfig.ADMIN_ROLE);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(UserItems.profileKey(id))
                    .updateExpression("SET #roles = :roles, #version = #version + :one, updatedAt = :now, revokedBefore = :revoked")
                    .conditionExpression("attribute_exists(pk) AND #status <> :deleted AND "
                            + (hadAdmin ? "" : "NOT ") + "contains(#roles, :admin)")
                    .expressionAttributeNames(Map.of("#roles", "roles", "#version", "version", "#status", "status"))
                    .expressionAttributeValues(Map.of(":roles", Attr.list(sorted(roles)), ":one", n(1),
                            ":now", s(clock.instant().toString()), ":revoked", n(clock.millis()),
                            ":deleted", s(UserItems.DELETED), ":admin", s(AppConfig.ADMIN_ROLE)))
                    .build()).build());
            for (String role : knownRoles) {
                writes.add(roles.contains(role) ? transactions.putRole(id, current.email(), role) : transactions.deleteRole(id, role));
            }
            int counterIndex = -1;
            if (hadAdmin != hasAdmin) {
                counterIndex = writes.size();
                writes.add(transactions.adminCount(hasAdmin ? +1 : -1));
            }
            return new UserTransactions.Plan(writes, counterIndex);
        });
        return profiles.find(id).orElseThrow(UserNotFoundException::new);
    }

    /** The number of administrators, as kept by the role transactions (read consistently). */
    long adminCount() {
        try {
            var response = db.getItem(r -> r.tableName(table).key(UserItems.ADMIN_COUNTER).consistentRead(true));
            return response.hasItem() ? Attr.number(response.item(), "count").orElse(0L) : 0L;
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    private static List<String> sorted(List<String> roles) {
        return roles.stream().distinct().sorted().toList();
    }
}
