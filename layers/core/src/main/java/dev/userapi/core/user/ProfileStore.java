package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.DynamoRetry;
import dev.userapi.core.problem.PreconditionFailedException;
import dev.userapi.core.problem.UserNotFoundException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Reads and single-item writes of the profile item: every write is conditioned on a live profile
 * (not a tombstone), partial updates also on the version the client read (the {@code ETag}).
 */
final class ProfileStore {
    private static final String LIVE = "attribute_exists(pk) AND #status <> :deleted";

    private final DynamoDbClient db;
    private final String table;
    private final Clock clock;

    ProfileStore(DynamoDbClient db, String table, Clock clock) {
        this.db = db;
        this.table = table;
        this.clock = clock;
    }

    /** The live profile, read consistently; empty if there is none or only a tombstone. */
    Optional<UserProfile> find(String id) {
        return item(id).filter(item -> !UserItems.isTombstone(item)).map(UserItems::toProfile);
    }

    /** Status, roles and revocation instants, tombstones included. */
    Optional<UserRecord> findRecord(String id) {
        try {
            var response = db.getItem(r -> r.tableName(table).key(UserItems.profileKey(id)).consistentRead(true)
                    .projectionExpression(UserItems.RECORD_PROJECTION)
                    .expressionAttributeNames(UserItems.RECORD_PROJECTION_NAMES));
            if (!response.hasItem() || response.item().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(UserItems.toRecord(id, response.item()));
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    private Optional<Map<String, AttributeValue>> item(String id) {
        try {
            var response = db.getItem(r -> r.tableName(table).key(UserItems.profileKey(id)).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    /**
     * Applies a partial update of the writable fields, guarded by the version when one is given.
     *
     * @throws UserNotFoundException       if there is no live profile
     * @throws PreconditionFailedException if {@code expectedVersion} is stale
     */
    UserProfile update(String id, ProfileChanges changes, OptionalLong expectedVersion) {
        if (changes.isEmpty()) {
            UserProfile current = find(id).orElseThrow(UserNotFoundException::new);
            if (expectedVersion.isPresent() && expectedVersion.getAsLong() != current.version()) {
                throw new PreconditionFailedException();
            }
            return current;
        }
        Map<String, String> names = new HashMap<>(Map.of("#status", "status", "#version", "version"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":deleted", s(UserItems.DELETED), ":one", n(1), ":now", s(clock.instant().toString())));
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
        String condition = LIVE;
        if (expectedVersion.isPresent()) {
            condition += " AND #version = :expected";
            values.put(":expected", n(expectedVersion.getAsLong()));
        }
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        String finalCondition = condition;
        try {
            var response = db.updateItem(r -> r.tableName(table).key(UserItems.profileKey(id))
                    .updateExpression(expression)
                    .conditionExpression(finalCondition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return UserItems.toProfile(response.attributes());
        } catch (ConditionalCheckFailedException e) {
            throw whyConditionFailed(e.hasItem() ? e.item() : null);
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }

    private static RuntimeException whyConditionFailed(Map<String, AttributeValue> old) {
        if (old == null || old.isEmpty() || UserItems.isTombstone(old)) {
            return new UserNotFoundException();
        }
        return new PreconditionFailedException();
    }

    /**
     * Records that the account is confirmed ({@code confirmedAt}, once): the stream's {@code user.confirmed}. The
     * version stays (no field a client reads changed).
     *
     * @return false if the profile was confirmed already, or there is no live profile
     */
    boolean markConfirmed(String id) {
        try {
            db.updateItem(r -> r.tableName(table).key(UserItems.profileKey(id))
                    .updateExpression("SET #confirmed = :now")
                    .conditionExpression(LIVE + " AND attribute_not_exists(#confirmed)")
                    .expressionAttributeNames(Map.of("#status", "status", "#confirmed", UserItems.CONFIRMED_AT))
                    .expressionAttributeValues(Map.of(":now", s(clock.instant().toString()), ":deleted", s(UserItems.DELETED))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }

    /** Records whether TOTP is required at sign-in. */
    UserProfile setMfaEnabled(String id, boolean enabled) {
        return updateLive(id, "SET mfaEnabled = :mfa, #version = #version + :one, updatedAt = :now",
                new HashMap<>(Map.of(":mfa", Attr.bool(enabled), ":one", n(1), ":now", s(clock.instant().toString()),
                        ":deleted", s(UserItems.DELETED))));
    }

    /** Refuses every token and session issued before now; the version stays. Returns the instant, epoch ms. */
    long endSessions(String id) {
        return endSessions(id, false);
    }

    /**
     * As {@link #endSessions(String)}; with {@code passwordChanged}, the same write records {@code passwordChangedAt}
     * (ISO instant), the marker the users table's stream turns into a {@code password.changed} event (docs/EVENTS.md).
     */
    long endSessions(String id, boolean passwordChanged) {
        long now = clock.millis();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":revoked", n(now), ":deleted", s(UserItems.DELETED)));
        if (passwordChanged) {
            values.put(":changedAt", s(java.time.Instant.ofEpochMilli(now).toString()));
        }
        try {
            db.updateItem(r -> r.tableName(table).key(UserItems.profileKey(id))
                    .updateExpression("SET revokedBefore = :revoked, sessionsRevokedBefore = :revoked"
                            + (passwordChanged ? ", passwordChangedAt = :changedAt" : ""))
                    .conditionExpression(LIVE)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values));
            return now;
        } catch (ConditionalCheckFailedException e) {
            throw new UserNotFoundException();
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }

    /** At most this many sessions ended one by one are kept on the profile; beyond it, every older token is refused. */
    static final int MAX_REVOKED_SESSIONS = 50;

    /**
     * Ends one session's access tokens: adds its {@code origin_jti} to the profile's {@code revokedJtis}
     * (until {@code untilSeconds}, when they have all expired), dropping the entries whose time has
     * passed, conditioned on the map as read (a concurrent logout makes this read again). When
     * {@link #MAX_REVOKED_SESSIONS} are live, it refuses every access token issued before now instead
     * ({@code revokedBefore}, which covers the listed ones too) and empties the map: the other sessions
     * then refresh once. The version stays. A missing profile or a tombstone: nothing to do.
     */
    void revokeSession(String id, String originJti, long untilSeconds, DynamoRetry.Budget budget) {
        long nowSeconds = clock.instant().getEpochSecond();
        while (true) {
            Map<String, AttributeValue> item;
            try {
                var response = db.getItem(r -> r.tableName(table).key(UserItems.profileKey(id)).consistentRead(true)
                        .projectionExpression("#s, revokedJtis").expressionAttributeNames(Map.of("#s", "status")));
                if (!response.hasItem() || response.item().isEmpty() || UserItems.isTombstone(response.item())) {
                    return;
                }
                item = response.item();
            } catch (SdkException e) {
                throw DynamoErrors.translate("GetItem", e);
            }
            Map<String, Long> current = UserItems.revokedJtis(item);
            Map<String, String> names = new HashMap<>(Map.of("#status", "status"));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":deleted", s(UserItems.DELETED)));
            String expression;
            String condition = LIVE;
            long live = current.entrySet().stream().filter(e -> e.getValue() > nowSeconds && !e.getKey().equals(originJti)).count();
            if (live + 1 > MAX_REVOKED_SESSIONS) {
                expression = "SET revokedBefore = :revoked REMOVE revokedJtis";
                values.put(":revoked", n(clock.millis()));
            } else if (!item.containsKey("revokedJtis")) {
                expression = "SET revokedJtis = :jtis";
                values.put(":jtis", AttributeValue.fromM(Map.of(originJti, n(untilSeconds))));
                condition += " AND attribute_not_exists(revokedJtis)";
            } else {
                List<String> remove = new ArrayList<>();
                int i = 0;
                for (Map.Entry<String, Long> e : current.entrySet()) {
                    if (e.getValue() <= nowSeconds && !e.getKey().equals(originJti)) {
                        names.put("#e" + i, e.getKey());
                        remove.add("revokedJtis.#e" + i++);
                    }
                }
                names.put("#jti", originJti);
                values.put(":until", n(untilSeconds));
                values.put(":old", item.get("revokedJtis"));
                expression = "SET revokedJtis.#jti = :until" + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
                condition += " AND revokedJtis = :old";
            }
            String finalExpression = expression;
            String finalCondition = condition;
            try {
                db.updateItem(r -> r.tableName(table).key(UserItems.profileKey(id))
                        .updateExpression(finalExpression).conditionExpression(finalCondition)
                        .expressionAttributeNames(names).expressionAttributeValues(values));
                return;
            } catch (ConditionalCheckFailedException e) {
                budget.pauseOrGiveUp(e); // changed since read (another logout, or deleted): read again
            } catch (SdkException e) {
                throw DynamoErrors.translate("UpdateItem", e);
            }
        }
    }

    private UserProfile updateLive(String id, String expression, Map<String, AttributeValue> values) {
        try {
            var response = db.updateItem(r -> r.tableName(table).key(UserItems.profileKey(id))
                    .updateExpression(expression)
                    .conditionExpression(LIVE)
                    .expressionAttributeNames(Map.of("#status", "status", "#version", "version"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return UserItems.toProfile(response.attributes());
        } catch (ConditionalCheckFailedException e) {
            throw new UserNotFoundException();
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }
}
