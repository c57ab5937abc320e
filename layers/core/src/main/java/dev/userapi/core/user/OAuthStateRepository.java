package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.StoredItems;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Hosted-UI sign-ins in progress ({@code pk=OAUTH#<state>, sk=STATE}), each usable once: the
 * callback reads the item, checks it, then takes it with a delete conditioned on the browser binding
 * it checked, so a replayed callback finds nothing and a callback from another browser removes
 * nothing. Expired items are refused by the service and removed by the table's TTL.
 */
public final class OAuthStateRepository {
    private final DynamoDbClient db;
    private final String table;

    public OAuthStateRepository(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    private static Map<String, AttributeValue> key(String state) {
        return Map.of("pk", s("OAUTH#" + state), "sk", s("STATE"));
    }

    public void put(OAuthState state) {
        var item = new java.util.LinkedHashMap<>(key(state.state()));
        item.put("nonce", s(state.nonce()));
        item.put("codeVerifier", s(state.codeVerifier()));
        item.put("redirect", s(state.redirect()));
        item.put("bindingHash", s(state.bindingHash()));
        if (!state.clientState().isEmpty()) {
            item.put("clientState", s(state.clientState()));
        }
        item.put("expiresAt", n(state.expiresAt().getEpochSecond()));
        try {
            db.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (SdkException e) {
            // a taken state (256 random bits: never by chance) is an unmapped refusal too: 503, and a retry draws a new one
            throw DynamoErrors.translate("PutItem", e);
        }
    }

    /** The sign-in for {@code state} (a consistent read), without using it up; empty if it never existed or was used. */
    public Optional<OAuthState> find(String state) {
        try {
            var item = db.getItem(r -> r.tableName(table).key(key(state)).consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                return Optional.empty();
            }
            // every put writes all but clientState (left out when empty)
            return Optional.of(StoredItems.readable("sign-in", item, () -> new OAuthState(state,
                    StoredItems.string(item, "nonce"),
                    StoredItems.string(item, "codeVerifier"),
                    StoredItems.string(item, "redirect"),
                    StoredItems.string(item, "bindingHash"),
                    Attr.string(item, "clientState").orElse(""),
                    StoredItems.epochSeconds(item, "expiresAt"))));
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    /**
     * Uses the sign-in up: deletes it only while it exists and is still bound to {@code bindingHash}.
     * False when it is gone already (a concurrent callback took it) or bound to another browser.
     */
    public boolean take(String state, String bindingHash) {
        try {
            db.deleteItem(r -> r.tableName(table).key(key(state))
                    .conditionExpression("attribute_exists(pk) AND bindingHash = :binding")
                    .expressionAttributeValues(Map.of(":binding", s(bindingHash))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw DynamoErrors.translate("DeleteItem", e);
        }
    }
}
