package dev.userapi.core.email;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.StoredItems;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The pending e-mail change of each account (docs/DATA-MODEL.md): {@code pk=EMAIL_CHANGE#<sub>, sk=PENDING}, at most
 * one per account (a new request replaces it), removed by TTL after it expires.
 */
public final class EmailChangeRepository {
    private final DynamoDbClient db;
    private final String table;

    public EmailChangeRepository(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    private static Map<String, AttributeValue> key(String userId) {
        return Map.of("pk", s("EMAIL_CHANGE#" + userId), "sk", s("PENDING"));
    }

    /** Stores {@code change}, replacing the account's earlier one (whose code then no longer works). */
    public void put(PendingEmailChange change) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(change.userId()));
        item.put("newEmail", s(change.newEmail()));
        item.put("salt", s(change.salt()));
        item.put("codeHash", s(change.codeHash()));
        item.put("validUntil", n(change.expiresAt().getEpochSecond()));
        item.put("expiresAt", n(change.expiresAt().getEpochSecond()));
        try {
            db.putItem(r -> r.tableName(table).item(item));
        } catch (SdkException e) {
            throw DynamoErrors.translate("PutItem", e);
        }
    }

    /** The account's pending change (read consistently), expired or not. */
    public Optional<PendingEmailChange> find(String userId) {
        try {
            var response = db.getItem(r -> r.tableName(table).key(key(userId)).consistentRead(true));
            if (!response.hasItem() || response.item().isEmpty()) {
                return Optional.empty();
            }
            Map<String, AttributeValue> item = response.item();
            return Optional.of(StoredItems.readable("e-mail change", item, () -> new PendingEmailChange(userId,
                    StoredItems.string(item, "newEmail"), StoredItems.string(item, "salt"), StoredItems.string(item, "codeHash"),
                    StoredItems.epochSeconds(item, "validUntil"))));
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    /** Removes the account's pending change. */
    public void delete(String userId) {
        try {
            db.deleteItem(r -> r.tableName(table).key(key(userId)));
        } catch (SdkException e) {
            throw DynamoErrors.translate("DeleteItem", e);
        }
    }
}
