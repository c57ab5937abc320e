package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.StoredItems;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.UserNotFoundException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
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
     * @param confirmed whether the account is confirmed at Cognito: the item then carries {@code confirmedAt} (the
     *                  profile's creation instant), which the table's stream reads as {@code user.confirmed}
     * @return true if this call created it
     */
    boolean createIfAbsent(UserProfile profile, boolean confirmed) {
        // No ensureCounter() here (the functions that make profiles do not list the index): an absent count
        // starts at this administrator, which can only be lower than the truth after an upgrade (stricter).
        boolean countsAsAdmin = profile.hasRole(AppConfig.ADMIN_ROLE) && profile.status() == UserStatus.ENABLED;
        List<TransactWriteItem> writes = new ArrayList<>();
        Map<String, AttributeValue> item = UserItems.toItem(profile);
        if (confirmed) {
            item.put(UserItems.CONFIRMED_AT, s(profile.createdAt().toString()));
        }
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(pk)")
                .build()).build());
        for (String role : profile.roles()) {
            writes.add(transactions.putRole(profile.id(), profile.email(), role));
        }
        if (countsAsAdmin) {
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
        ensureCounter();
        transactions.readModifyWrite("replace roles", () -> {
            UserProfile current = profiles.find(id).orElseThrow(UserNotFoundException::new);
            boolean hadAdmin = current.hasRole(AppConfig.ADMIN_ROLE);
            boolean hasAdmin = roles.contains(AppConfig.ADMIN_ROLE);
            List<TransactWriteItem> writes = new ArrayList<>();
            // conditioned on what was read: whether it held admin, and its status (only enabled admins count)
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(UserItems.profileKey(id))
                    .updateExpression("SET #roles = :roles, #version = #version + :one, updatedAt = :now, revokedBefore = :revoked")
                    .conditionExpression("attribute_exists(pk) AND #status = :status AND "
                            + (hadAdmin ? "" : "NOT ") + "contains(#roles, :admin)")
                    .expressionAttributeNames(Map.of("#roles", "roles", "#version", "version", "#status", "status"))
                    .expressionAttributeValues(Map.of(":roles", Attr.list(sorted(roles)), ":one", n(1),
                            ":now", s(clock.instant().toString()), ":revoked", n(clock.millis()),
                            ":status", s(current.status().name()), ":admin", s(AppConfig.ADMIN_ROLE)))
                    .build()).build());
            for (String role : knownRoles) {
                writes.add(roles.contains(role) ? transactions.putRole(id, current.email(), role) : transactions.deleteRole(id, role));
            }
            int counterIndex = -1;
            if (hadAdmin != hasAdmin && current.status() == UserStatus.ENABLED) {
                counterIndex = writes.size();
                writes.add(transactions.adminCount(hasAdmin ? +1 : -1));
            }
            return new UserTransactions.Plan(writes, counterIndex);
        });
        return profiles.find(id).orElseThrow(UserNotFoundException::new);
    }

    /**
     * Enables or disables the account, and counts an administrator in or out of the enabled
     * administrators in the same transaction: disabling the last enabled administrator is a conflict.
     * Disabling also revokes every token and session issued before now.
     *
     * @throws ConflictException if this would leave no enabled administrator
     */
    UserProfile setStatus(String id, UserStatus status) {
        if (status == UserStatus.DELETED) {
            throw new IllegalArgumentException("use delete()");
        }
        ensureCounter();
        transactions.readModifyWrite("set status", () -> {
            UserProfile current = profiles.find(id).orElseThrow(UserNotFoundException::new);
            boolean admin = current.hasRole(AppConfig.ADMIN_ROLE);
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", s(status.name()), ":one", n(1),
                    ":now", s(clock.instant().toString()), ":was", s(current.status().name()), ":admin", s(AppConfig.ADMIN_ROLE)));
            String expression = "SET #status = :status, #version = #version + :one, updatedAt = :now";
            // The index lists each status in its own shards, so the profile moves there (and an item written
            // with older keys gets the current ones). The e-mail, which picks the shard, never changes here.
            if (current.email() != null) {
                expression += ", " + UserItems.GSI_PK + " = :gpk, " + UserItems.GSI_SK + " = :gsk";
                values.put(":gpk", s(UserItems.profilePartition(status, UserItems.shard(current.email()))));
                values.put(":gsk", s(UserItems.listingKey(current.email(), id)));
            }
            if (status == UserStatus.DISABLED) {
                expression += ", revokedBefore = :revoked, sessionsRevokedBefore = :revoked";
                values.put(":revoked", n(clock.millis()));
            }
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(UserItems.profileKey(id))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(pk) AND #status = :was AND " + (admin ? "" : "NOT ") + "contains(#roles, :admin)")
                    .expressionAttributeNames(Map.of("#status", "status", "#version", "version", "#roles", "roles"))
                    .expressionAttributeValues(values)
                    .build()).build());
            int counterIndex = -1;
            if (admin && current.status() != status) {
                counterIndex = writes.size();
                writes.add(transactions.adminCount(status == UserStatus.ENABLED ? +1 : -1));
            }
            return new UserTransactions.Plan(writes, counterIndex);
        });
        return profiles.find(id).orElseThrow(UserNotFoundException::new);
    }

    /**
     * Moves the profile to a new e-mail (issue 18): its {@code email}, and the listing keys of the profile and of
     * every role membership, whose shard depends on the e-mail, in one transaction conditioned on the profile's
     * version as read (a concurrent role change makes it read again). Idempotent: repeating it changes nothing more.
     */
    UserProfile changeEmail(String id, String email) {
        transactions.readModifyWrite("change e-mail", () -> {
            UserProfile current = profiles.find(id).orElseThrow(UserNotFoundException::new);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(UserItems.profileKey(id))
                    .updateExpression("SET email = :email, " + UserItems.GSI_PK + " = :gpk, " + UserItems.GSI_SK
                            + " = :gsk, #version = #version + :one, updatedAt = :now")
                    .conditionExpression("attribute_exists(pk) AND #version = :expected AND #status = :status")
                    .expressionAttributeNames(Map.of("#version", "version", "#status", "status"))
                    .expressionAttributeValues(Map.of(":email", s(email), ":one", n(1), ":now", s(clock.instant().toString()),
                            ":expected", n(current.version()), ":status", s(current.status().name()),
                            ":gpk", s(UserItems.profilePartition(current.status(), UserItems.shard(email))),
                            ":gsk", s(UserItems.listingKey(email, id))))
                    .build()).build());
            for (String role : current.roles()) {
                writes.add(transactions.putRole(id, email, role));
            }
            return new UserTransactions.Plan(writes, -1);
        });
        return profiles.find(id).orElseThrow(UserNotFoundException::new);
    }

    /** The number of enabled administrators, as kept by the transactions (read consistently). */
    long adminCount() {
        return ensureCounter();
    }

    /**
     * The count of enabled administrators, made if it does not exist yet: at the first start, and
     * once after an upgrade from the release that counted disabled administrators too (in another
     * item). It is counted from the {@code admin} memberships (the index) and each member's profile
     * (consistent reads), then put only if still absent. Every write of the count comes after this,
     * so no transaction can change the count between the counting and the put without the put
     * failing (it then keeps the count that is there). A membership the index does not show yet can
     * only make the count lower, which makes the guard stricter, never laxer.
     */
    long ensureCounter() {
        try {
            var response = db.getItem(r -> r.tableName(table).key(UserItems.ADMIN_COUNTER).consistentRead(true));
            if (response.hasItem() && !response.item().isEmpty()) {
                return StoredItems.readable(UserItems.KIND, response.item(), () -> Attr.number(response.item(), "count").orElse(0L));
            }
            long enabled = countEnabledAdmins();
            Map<String, AttributeValue> item = new HashMap<>(UserItems.ADMIN_COUNTER);
            item.put("count", n(enabled));
            try {
                db.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
                return enabled;
            } catch (ConditionalCheckFailedException madeMeanwhile) {
                return ensureCounter();
            }
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    private long countEnabledAdmins() {
        long count = 0;
        for (int shard = 0; shard < UserItems.SHARDS; shard++) {
            count += countEnabledAdmins(UserItems.rolePartition(AppConfig.ADMIN_ROLE, shard));
        }
        return count;
    }

    private long countEnabledAdmins(String partition) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = db.query(r -> r.tableName(table).indexName(UserRepository.INDEX)
                    .keyConditionExpression("gsi1pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(partition)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> membership : page.items()) {
                String id = Attr.string(membership, "id").orElse(null);
                if (id != null && profiles.find(id).filter(p -> p.status() == UserStatus.ENABLED && p.hasRole(AppConfig.ADMIN_ROLE)).isPresent()) {
                    count++;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    private static List<String> sorted(List<String> roles) {
        return roles.stream().distinct().sorted().toList();
    }
}
