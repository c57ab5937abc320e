package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.DynamoErrors;
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

    /** Enables or disables the account; disabling also revokes every token issued before now. */
    UserProfile setStatus(String id, UserStatus status) {
        if (status == UserStatus.DELETED) {
            throw new IllegalArgumentException("use delete()");
        }
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", s(status.name()), ":one", n(1),
                ":now", s(clock.instant().toString()), ":deleted", s(UserItems.DELETED)));
        String expression = "SET #status = :status, #version = #version + :one, updatedAt = :now";
        // The index lists each status in its own shards, so the profile moves there (and an item written
        // with older keys gets the current ones). The e-mail, which picks the shard, never changes.
        String email = find(id).orElseThrow(UserNotFoundException::new).email();
        if (email != null) {
            expression += ", " + UserItems.GSI_PK + " = :gpk, " + UserItems.GSI_SK + " = :gsk";
            values.put(":gpk", s(UserItems.profilePartition(status, UserItems.shard(email))));
            values.put(":gsk", s(UserItems.listingKey(email, id)));
        }
        if (status == UserStatus.DISABLED) {
            expression += ", revokedBefore = :revoked, sessionsRevokedBefore = :revoked";
            values.put(":revoked", n(clock.millis()));
        }
        return updateLive(id, expression, values);
    }

    /** Records whether TOTP is required at sign-in. */
    UserProfile setMfaEnabled(String id, boolean enabled) {
        return updateLive(id, "SET mfaEnabled = :mfa, #version = #version + :one, updatedAt = :now",
                new HashMap<>(Map.of(":mfa", Attr.bool(enabled), ":one", n(1), ":now", s(clock.instant().toString()),
                        ":deleted", s(UserItems.DELETED))));
    }

    /** Refuses every token and session issued before now; the version stays. Returns the instant, epoch ms. */
    long endSessions(String id) {
        long now = clock.millis();
        try {
            db.updateItem(r -> r.tableName(table).key(UserItems.profileKey(id))
                    .updateExpression("SET revokedBefore = :revoked, sessionsRevokedBefore = :revoked")
                    .conditionExpression(LIVE)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":revoked", n(now), ":deleted", s(UserItems.DELETED))));
            return now;
        } catch (ConditionalCheckFailedException e) {
            throw new UserNotFoundException();
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
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
