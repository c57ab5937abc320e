package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.DynamoErrors;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The names users give their passkeys. Cognito keeps a passkey's credential and a {@code FriendlyCredentialName} it
 * derives itself, but no name of the user's choosing, so the API keeps one item per passkey: {@code pk=PASSKEY#<sub>},
 * {@code sk=CREDENTIAL#<sha256(credential id)>} (a credential id may be up to 1,023 bytes, more than a sort key holds),
 * with {@code credentialId, name, createdAt} — and no {@code userId}, the sessions index's partition key: an item that
 * had one would be listed as a session ({@code SessionsByUser} is sparse over any item with {@code userId}). A partition of their own, so the passkey functions' IAM statements
 * can be limited to it ({@code dynamodb:LeadingKeys} {@code PASSKEY#*}): they can write no profile. The item's appearance and removal are also what the change
 * stream turns into {@code passkey.added} and {@code passkey.removed} events (docs/EVENTS.md). Cognito stays the
 * authority on which passkeys exist: a name without a credential at Cognito is never shown.
 */
public final class PasskeyNames {
    static final String PK_PREFIX = "PASSKEY#";
    static final String SK_PREFIX = "CREDENTIAL#";

    private final DynamoDbClient db;
    private final String table;

    public PasskeyNames(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    /** Names (or renames) the passkey {@code credentialId} of {@code userId}. */
    public void put(String userId, String credentialId, String name, Instant createdAt) {
        try {
            db.putItem(r -> r.tableName(table).item(item(userId, credentialId, name, createdAt)));
        } catch (SdkException e) {
            throw DynamoErrors.translate("PutItem", e);
        }
    }

    /** Names a passkey that has no name yet; false if it had one (a concurrent registration's name wins). */
    public boolean putIfAbsent(String userId, String credentialId, String name, Instant createdAt) {
        try {
            db.putItem(r -> r.tableName(table).item(item(userId, credentialId, name, createdAt))
                    .conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw DynamoErrors.translate("PutItem", e);
        }
    }

    /**
     * Whether {@code credentialId} was registered through the API (a name item exists): only those sign in
     * (docs/SECURITY.md item 31; a passkey added at Cognito directly with a stolen token does not). A consistent read.
     */
    public boolean exists(String userId, String credentialId) {
        try {
            return db.getItem(r -> r.tableName(table).key(key(userId, credentialId)).consistentRead(true)
                    .projectionExpression("pk")).hasItem();
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    /** Every named passkey of {@code userId}: credential id → name (Cognito allows at most 20 passkeys a user). */
    public Map<String, String> all(String userId) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page;
            try {
                page = db.query(r -> r.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(PK_PREFIX + userId)))
                        .exclusiveStartKey(from));
            } catch (SdkException e) {
                throw DynamoErrors.translate("Query", e);
            }
            for (Map<String, AttributeValue> item : page.items()) {
                // a display name only: an item without one is shown with Cognito's name, never refused
                Attr.string(item, "credentialId").ifPresent(id -> names.put(id, Attr.string(item, "name").orElse("")));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return names;
    }

    /** Forgets the name of {@code credentialId} (idempotent). */
    public void delete(String userId, String credentialId) {
        try {
            db.deleteItem(r -> r.tableName(table).key(key(userId, credentialId)));
        } catch (SdkException e) {
            throw DynamoErrors.translate("DeleteItem", e);
        }
    }

    /** Forgets every passkey name of a deleted account (Cognito deletes the credentials with the user). */
    public void deleteAll(String userId) {
        for (String credentialId : all(userId).keySet()) {
            delete(userId, credentialId);
        }
    }

    private static Map<String, AttributeValue> key(String userId, String credentialId) {
        return Map.of("pk", s(PK_PREFIX + userId), "sk", s(SK_PREFIX + SessionRepository.hash(credentialId)));
    }

    private static Map<String, AttributeValue> item(String userId, String credentialId, String name, Instant createdAt) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(userId, credentialId));
        item.put("credentialId", s(credentialId));
        item.put("name", s(name));
        item.put("createdAt", s(createdAt.toString()));
        return item;
    }
}
