package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.Cursors;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.PreconditionFailedException;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.problem.UserNotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Profiles in DynamoDB, the source of truth for roles and status.
 *
 * <p>Single-table layout (see docs/DATA-MODEL.md):
 * <ul>
 *   <li>profile: {@code pk=USER#<sub>, sk=PROFILE}, listed through the {@code ByEmail} index as
 *       {@code gsi1pk=USERS, gsi1sk=<email>#<sub>};</li>
 *   <li>role membership: {@code pk=USER#<sub>, sk=ROLE#<role>}, indexed as {@code gsi1pk=ROLE#<role>};</li>
 *   <li>administrator count: {@code pk=META, sk=ADMINS}, kept in the same transactions as the roles,
 *       so the last administrator cannot be removed by two concurrent requests;</li>
 *   <li>a deleted account leaves a tombstone ({@code status=DELETED}, no personal data, expires after a
 *       day) that refuses its remaining tokens and keeps {@code GET /me} from recreating it.</li>
 * </ul>
 */
public final class UserRepository {
    public static final String INDEX = "ByEmail";
    static final String PK = "pk";
    static final String SK = "sk";
    static final String GSI_PK = "gsi1pk";
    static final String GSI_SK = "gsi1sk";
    static final String PROFILE = "PROFILE";
    static final String USERS = "USERS";
    static final long TOMBSTONE_TTL_SECONDS = 2 * 24 * 3600;
    private static final Map<String, AttributeValue> ADMIN_COUNTER = Map.of(PK, s("META"), SK, s("ADMINS"));
    private static final int MAX_TRANSACTION_ATTEMPTS = 8;
    /**
     * How long one repository operation may spend retrying transactions in all (its re-reads and
     * {@link #transact}'s backoff together): well inside the route functions' 10-second timeout, so a
     * busy item ends as a 503 from us, not as a Lambda timeout.
     */
    private static final long RETRY_BUDGET_NANOS = java.time.Duration.ofSeconds(4).toNanos();

    private final DynamoDbClient db;
    private final String table;
    private final List<String> knownRoles;
    private final Clock clock;

    public UserRepository(DynamoDbClient db, String table, List<String> knownRoles, Clock clock) {
        this.db = db;
        this.table = table;
        this.knownRoles = List.copyOf(knownRoles);
        this.clock = clock;
    }

    public UserRepository(DynamoDbClient db, AppConfig config) {
        this(db, config.tableName(), config.roles(), Clock.systemUTC());
    }

    static Map<String, AttributeValue> profileKey(String id) {
        return Map.of(PK, s("USER#" + id), SK, s(PROFILE));
    }

    static Map<String, AttributeValue> roleKey(String id, String role) {
        return Map.of(PK, s("USER#" + id), SK, s("ROLE#" + role));
    }

    /** The live profile, read consistently; empty if there is none or only a tombstone. */
    public Optional<UserProfile> find(String id) {
        return item(id).filter(item -> !"DELETED".equals(Attr.string(item, "status").orElse(null)))
                .map(UserRepository::toProfile);
    }

    /** Status, roles and revocation instant, tombstones included: what every authorization decision reads. */
    public Optional<UserRecord> findRecord(String id) {
        try {
            var response = db.getItem(r -> r.tableName(table).key(profileKey(id)).consistentRead(true)
                    .projectionExpression("#s, #r, revokedBefore, sessionsRevokedBefore")
                    .expressionAttributeNames(Map.of("#s", "status", "#r", "roles")));
            if (!response.hasItem() || response.item().isEmpty()) {
                return Optional.empty();
            }
            var item = response.item();
            return Optional.of(new UserRecord(id,
                    UserStatus.valueOf(Attr.string(item, "status").orElse("ENABLED")),
                    Attr.strings(item, "roles"),
                    Attr.number(item, "revokedBefore").map(OptionalLong::of).orElse(OptionalLong.empty()),
                    Attr.number(item, "sessionsRevokedBefore").map(OptionalLong::of).orElse(OptionalLong.empty())));
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    private Optional<Map<String, AttributeValue>> item(String id) {
        try {
            var response = db.getItem(r -> r.tableName(table).key(profileKey(id)).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    /**
     * Creates the profile unless one (or a tombstone) exists. Idempotent: a retried or concurrent
     * call for the same user creates exactly one profile and never changes an existing one.
     *
     * @return true if this call created it
     */
    public boolean createIfAbsent(UserProfile profile) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(toItem(profile))
                .conditionExpression("attribute_not_exists(pk)")
                .build()).build());
        for (String role : profile.roles()) {
            writes.add(putRole(profile.id(), profile.email(), role));
        }
        if (profile.hasRole(AppConfig.ADMIN_ROLE)) {
            writes.add(adminCount(+1));
        }
        try {
            transact("create profile", writes, System.nanoTime() + RETRY_BUDGET_NANOS);
            return true;
        } catch (TransactionCanceledException e) {
            if (failedCondition(e, 0)) {
                return false;
            }
            throw DynamoErrors.translate("TransactWriteItems", e);
        }
    }

    /**
     * Applies a partial update of the writable fields, guarded by the version when one is given.
     *
     * @throws UserNotFoundException       if there is no live profile
     * @throws PreconditionFailedException if {@code expectedVersion} is stale
     */
    public UserProfile update(String id, ProfileChanges changes, OptionalLong expectedVersion) {
        if (changes.isEmpty()) {
            UserProfile current = find(id).orElseThrow(UserNotFoundException::new);
            if (expectedVersion.isPresent() && expectedVersion.getAsLong() != current.version()) {
                throw new PreconditionFailedException();
            }
            return current;
        }
        Map<String, String> names = new HashMap<>(Map.of("#status", "status", "#version", "version"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":deleted", s("DELETED"), ":one", n(1), ":now", s(now().toString())));
        List<String> set = new ArrayList<>(List.of("#version = #version + :one", "updatedAt = :now"));
        List<String> remove = new ArrayList<>();
        changes.fields().forEach((field, value) -> {
            names.put("#" + field, field);
            if (value.isPresent()) {
                values.put(":" + field, s(value.get()));
                set.add("#" + field + " = :" + field);
            } else {
                remove.add("#" + field);
            }
        });
        String condition = "attribute_exists(pk) AND #status <> :deleted";
        if (expectedVersion.isPresent()) {
            condition += " AND #version = :expected";
            values.put(":expected", n(expectedVersion.getAsLong()));
        }
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        String finalCondition = condition;
        try {
            var response = db.updateItem(r -> r.tableName(table).key(profileKey(id))
                    .updateExpression(expression)
                    .conditionExpression(finalCondition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return toProfile(response.attributes());
        } catch (ConditionalCheckFailedException e) {
            throw whyConditionFailed(e.hasItem() ? e.item() : null);
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }

    private RuntimeException whyConditionFailed(Map<String, AttributeValue> old) {
        if (old == null || old.isEmpty() || "DELETED".equals(Attr.string(old, "status").orElse(null))) {
            return new UserNotFoundException();
        }
        return new PreconditionFailedException();
    }

    /**
     * Replaces the user's roles, revokes the tokens issued before now (they carry the old roles) and
     * keeps the administrator count. Concurrent calls are serialised by DynamoDB; the last one wins.
     *
     * @throws ConflictException if this would leave the system without an administrator
     */
    public UserProfile replaceRoles(String id, List<String> roles) {
        long deadline = System.nanoTime() + RETRY_BUDGET_NANOS;
        for (int attempt = 1; ; attempt++) {
            UserProfile current = find(id).orElseThrow(UserNotFoundException::new);
            boolean hadAdmin = current.hasRole(AppConfig.ADMIN_ROLE);
            boolean hasAdmin = roles.contains(AppConfig.ADMIN_ROLE);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(profileKey(id))
                    .updateExpression("SET #roles = :roles, #version = #version + :one, updatedAt = :now, revokedBefore = :revoked")
                    .conditionExpression("attribute_exists(pk) AND #status <> :deleted AND "
                            + (hadAdmin ? "" : "NOT ") + "contains(#roles, :admin)")
                    .expressionAttributeNames(Map.of("#roles", "roles", "#version", "version", "#status", "status"))
                    .expressionAttributeValues(Map.of(":roles", Attr.list(sorted(roles)), ":one", n(1),
                            ":now", s(now().toString()), ":revoked", n(clock.millis()),
                            ":deleted", s("DELETED"), ":admin", s(AppConfig.ADMIN_ROLE)))
                    .build()).build());
            for (String role : knownRoles) {
                writes.add(roles.contains(role) ? putRole(id, current.email(), role) : deleteRole(id, role));
            }
            int counterIndex = -1;
            if (hadAdmin != hasAdmin) {
                counterIndex = writes.size();
                writes.add(adminCount(hasAdmin ? +1 : -1));
            }
            try {
                transact("replace roles", writes, deadline);
                return find(id).orElseThrow(UserNotFoundException::new);
            } catch (TransactionCanceledException e) {
                if (counterIndex >= 0 && failedCondition(e, counterIndex)) {
                    throw lastAdmin();
                }
                if (failedCondition(e, 0) && attempt < MAX_TRANSACTION_ATTEMPTS && System.nanoTime() < deadline) {
                    continue; // the roles changed under us: read again and redo
                }
                if (failedCondition(e, 0)) {
                    throw new ConflictException("The user was changed concurrently; try again.");
                }
                throw DynamoErrors.translate("TransactWriteItems", e);
            }
        }
    }

    /** Enables or disables the account; disabling also revokes every token issued before now. */
    public UserProfile setStatus(String id, UserStatus status) {
        if (status == UserStatus.DELETED) {
            throw new IllegalArgumentException("use delete()");
        }
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", s(status.name()), ":one", n(1),
                ":now", s(now().toString()), ":deleted", s("DELETED")));
        String expression = "SET #status = :status, #version = #version + :one, updatedAt = :now";
        if (status == UserStatus.DISABLED) {
            expression += ", revokedBefore = :revoked, sessionsRevokedBefore = :revoked";
            values.put(":revoked", n(clock.millis()));
        }
        return updateLive(id, expression, values);
    }

    /** Records whether TOTP is required at sign-in (Cognito enforces it; the profile shows it). */
    public UserProfile setMfaEnabled(String id, boolean enabled) {
        return updateLive(id, "SET mfaEnabled = :mfa, #version = #version + :one, updatedAt = :now",
                new HashMap<>(Map.of(":mfa", Attr.bool(enabled), ":one", n(1), ":now", s(now().toString()),
                        ":deleted", s("DELETED"))));
    }

    /**
     * Ends everything issued before now: the authorizer refuses older access tokens and refresh
     * through the API refuses older sessions. Does not change the profile's version.
     *
     * @return the instant recorded, in epoch milliseconds
     */
    public long endSessions(String id) {
        long now = clock.millis();
        try {
            db.updateItem(r -> r.tableName(table).key(profileKey(id))
                    .updateExpression("SET revokedBefore = :revoked, sessionsRevokedBefore = :revoked")
                    .conditionExpression("attribute_exists(pk) AND #status <> :deleted")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":revoked", n(now), ":deleted", s("DELETED"))));
            return now;
        } catch (ConditionalCheckFailedException e) {
            throw new UserNotFoundException();
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }

    private UserProfile updateLive(String id, String expression, Map<String, AttributeValue> values) {
        try {
            var response = db.updateItem(r -> r.tableName(table).key(profileKey(id))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(pk) AND #status <> :deleted")
                    .expressionAttributeNames(Map.of("#status", "status", "#version", "version"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return toProfile(response.attributes());
        } catch (ConditionalCheckFailedException e) {
            throw new UserNotFoundException();
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }

    /**
     * Deletes the profile and its role memberships, leaving a tombstone that refuses the account's
     * remaining tokens until they have expired.
     *
     * @throws ConflictException if the user is the last administrator
     */
    public void delete(String id) {
        long deadline = System.nanoTime() + RETRY_BUDGET_NANOS;
        for (int attempt = 1; ; attempt++) {
            Optional<UserProfile> found = find(id);
            if (found.isEmpty()) {
                throw new UserNotFoundException();
            }
            UserProfile current = found.get();
            long nowMillis = clock.millis();
            Map<String, AttributeValue> tombstone = new LinkedHashMap<>(profileKey(id));
            tombstone.put("id", s(id));
            tombstone.put("status", s("DELETED"));
            tombstone.put("revokedBefore", n(nowMillis));
            tombstone.put("sessionsRevokedBefore", n(nowMillis));
            tombstone.put("deletedAt", s(Instant.ofEpochMilli(nowMillis).toString()));
            tombstone.put("expiresAt", n(nowMillis / 1000 + TOMBSTONE_TTL_SECONDS));
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(tombstone)
                    .conditionExpression("#version = :version")
                    .expressionAttributeNames(Map.of("#version", "version"))
                    .expressionAttributeValues(Map.of(":version", n(current.version())))
                    .build()).build());
            for (String role : knownRoles) {
                writes.add(deleteRole(id, role));
            }
            int counterIndex = -1;
            if (current.hasRole(AppConfig.ADMIN_ROLE)) {
                counterIndex = writes.size();
                writes.add(adminCount(-1));
            }
            try {
                transact("delete profile", writes, deadline);
                return;
            } catch (TransactionCanceledException e) {
                if (counterIndex >= 0 && failedCondition(e, counterIndex)) {
                    throw lastAdmin();
                }
                if (failedCondition(e, 0) && attempt < MAX_TRANSACTION_ATTEMPTS && System.nanoTime() < deadline) {
                    continue;
                }
                if (failedCondition(e, 0)) {
                    throw new ConflictException("The user was changed concurrently; try again.");
                }
                throw DynamoErrors.translate("TransactWriteItems", e);
            }
        }
    }

    /** The number of administrators, as kept by the role transactions (read consistently). */
    public long adminCount() {
        try {
            var response = db.getItem(r -> r.tableName(table).key(ADMIN_COUNTER).consistentRead(true));
            return response.hasItem() ? Attr.number(response.item(), "count").orElse(0L) : 0L;
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    /**
     * One page of users, sorted by e-mail, served by the {@code ByEmail} index (never a table scan).
     * With a role filter the role's membership entries are queried and their profiles fetched in one
     * batch. A page may hold fewer than {@code limit} items when a status filter applies; follow
     * {@code nextCursor} until it is null.
     */
    public Page<UserProfile> list(UserFilter filter, int limit, Optional<String> cursor) {
        String partition = filter.role().map(r -> "ROLE#" + r).orElse(USERS);
        Map<String, String> names = new HashMap<>(Map.of("#pk", GSI_PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(partition)));
        String keyCondition = "#pk = :pk";
        if (filter.emailPrefix().isPresent()) {
            keyCondition += " AND begins_with(#sk, :prefix)";
            names.put("#sk", GSI_SK);
            values.put(":prefix", s(filter.emailPrefix().get()));
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(INDEX)
                .keyConditionExpression(keyCondition)
                .limit(limit);
        if (filter.role().isEmpty() && filter.status().isPresent()) {
            query.filterExpression("#status = :status");
            names.put("#status", "status");
            values.put(":status", s(filter.status().get().name()));
        }
        query.expressionAttributeNames(names).expressionAttributeValues(values);
        cursor.ifPresent(c -> query.exclusiveStartKey(Cursors.decode(c, Set.of(PK, SK, GSI_PK, GSI_SK),
                key -> key.get(GSI_PK).equals(partition) && key.get(PK).startsWith("USER#")
                        && (key.get(SK).equals(PROFILE) || key.get(SK).startsWith("ROLE#")))));
        QueryResponse response;
        try {
            response = db.query(query.build());
        } catch (SdkException e) {
            throw DynamoErrors.translate("Query", e);
        }
        List<UserProfile> items;
        if (filter.role().isEmpty()) {
            items = response.items().stream().map(UserRepository::toProfile).toList();
        } else {
            List<String> ids = response.items().stream().map(i -> Attr.string(i, "id").orElseThrow()).toList();
            items = fetchAll(ids).stream()
                    .filter(p -> p.status() != UserStatus.DELETED)
                    .filter(p -> filter.status().map(s -> s == p.status()).orElse(true))
                    .toList();
        }
        String next = response.hasLastEvaluatedKey() ? Cursors.encode(response.lastEvaluatedKey()) : null;
        return new Page<>(items, next);
    }

    /** Profiles by id, in the order given, skipping those that do not exist. */
    private List<UserProfile> fetchAll(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, UserProfile> found = new HashMap<>();
        List<Map<String, AttributeValue>> keys = ids.stream().distinct().map(UserRepository::profileKey).toList();
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        try {
            for (int attempt = 0; !request.isEmpty() && attempt < 6; attempt++) {
                Map<String, KeysAndAttributes> pending = request;
                BatchGetItemResponse response = db.batchGetItem(r -> r.requestItems(pending));
                response.responses().getOrDefault(table, List.of()).forEach(item -> {
                    UserProfile p = toProfile(item);
                    found.put(p.id(), p);
                });
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    backoff(attempt);
                }
            }
        } catch (SdkException e) {
            throw DynamoErrors.translate("BatchGetItem", e);
        }
        if (!request.isEmpty()) {
            throw new ServiceUnavailableException("The user store is busy; try again.");
        }
        return ids.stream().map(found::get).filter(p -> p != null).toList();
    }

    private TransactWriteItem putRole(String id, String email, String role) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(roleKey(id, role));
        item.put("id", s(id));
        item.put("role", s(role));
        item.put(GSI_PK, s("ROLE#" + role));
        item.put(GSI_SK, s(email + "#" + id));
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build();
    }

    private TransactWriteItem deleteRole(String id, String role) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(roleKey(id, role)).build()).build();
    }

    private TransactWriteItem adminCount(int delta) {
        Update.Builder update = Update.builder().tableName(table).key(ADMIN_COUNTER)
                .updateExpression("ADD #count :delta")
                .expressionAttributeNames(Map.of("#count", "count"))
                .expressionAttributeValues(delta < 0 ? Map.of(":delta", n(delta), ":one", n(1)) : Map.of(":delta", n(delta)));
        if (delta < 0) {
            update.conditionExpression("#count > :one");
        }
        return TransactWriteItem.builder().update(update.build()).build();
    }

    /**
     * Runs a transaction, retrying the cancellations that only mean "another transaction was in the way"
     * until {@code deadline} ({@link System#nanoTime()}); then the store counts as busy (503).
     */
    private void transact(String what, List<TransactWriteItem> writes, long deadline) {
        for (int attempt = 0; ; attempt++) {
            try {
                db.transactWriteItems(r -> r.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                if (!isTransactionConflict(e)) {
                    throw e;
                }
                if (attempt >= MAX_TRANSACTION_ATTEMPTS * 2 || System.nanoTime() >= deadline) {
                    throw new ServiceUnavailableException("The user store is busy; try again.", e);
                }
                backoff(attempt);
            } catch (SdkException e) {
                throw DynamoErrors.translate("TransactWriteItems (" + what + ")", e);
            }
        }
    }

    private static boolean isTransactionConflict(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        boolean conflict = false;
        for (CancellationReason reason : e.cancellationReasons()) {
            String code = reason.code();
            if ("ConditionalCheckFailed".equals(code)) {
                return false;
            }
            if ("TransactionConflict".equals(code)) {
                conflict = true;
            }
        }
        return conflict;
    }

    private static boolean failedCondition(TransactionCanceledException e, int index) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > index
                && "ConditionalCheckFailed".equals(e.cancellationReasons().get(index).code());
    }

    private static void backoff(int attempt) {
        long cap = Math.min(400, 10L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("Interrupted while waiting to retry.");
        }
    }

    private static ConflictException lastAdmin() {
        return new ConflictException("This would remove the last administrator.");
    }

    private Instant now() {
        return clock.instant();
    }

    private static List<String> sorted(List<String> roles) {
        return roles.stream().distinct().sorted().toList();
    }

    static Map<String, AttributeValue> toItem(UserProfile p) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(profileKey(p.id()));
        item.put(GSI_PK, s(USERS));
        item.put(GSI_SK, s(p.email() + "#" + p.id()));
        item.put("id", s(p.id()));
        item.put("email", s(p.email()));
        putIfPresent(item, "name", p.name());
        putIfPresent(item, "locale", p.locale());
        putIfPresent(item, "picture", p.picture());
        putIfPresent(item, "phoneNumber", p.phoneNumber());
        item.put("roles", Attr.list(p.roles()));
        item.put("status", s(p.status().name()));
        item.put("mfaEnabled", Attr.bool(p.mfaEnabled()));
        item.put("createdAt", s(p.createdAt().toString()));
        item.put("updatedAt", s(p.updatedAt().toString()));
        item.put("version", n(p.version()));
        return item;
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    static UserProfile toProfile(Map<String, AttributeValue> item) {
        return new UserProfile(
                Attr.string(item, "id").orElseThrow(),
                Attr.string(item, "email").orElse(null),
                Attr.string(item, "name").orElse(null),
                Attr.string(item, "locale").orElse(null),
                Attr.string(item, "picture").orElse(null),
                Attr.string(item, "phoneNumber").orElse(null),
                Attr.strings(item, "roles"),
                UserStatus.valueOf(Attr.string(item, "status").orElse("ENABLED")),
                Attr.bool(item, "mfaEnabled"),
                Attr.string(item, "createdAt").map(Instant::parse).orElse(Instant.EPOCH),
                Attr.string(item, "updatedAt").map(Instant::parse).orElse(Instant.EPOCH),
                Attr.number(item, "version").orElse(1L));
    }
}
