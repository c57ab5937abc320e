package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.DynamoErrors;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Hosted-UI sign-ins in progress ({@code pk=OAUTH#<state>, sk=STATE}), each usable once: the
 * callback takes the item with a conditional delete, so a replayed callback finds nothing. Expired
 * items are refused here and removed by the table's TTL.
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
        item.put("expiresAt", n(state.expiresAt().getEpochSecond()));
        try {
            db.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (SdkException e) {
            // a taken state (256 random bits: never by chance) is an unmapped refusal too: 503, and a retry draws a new one
            throw DynamoErrors.translate("PutItem", e);
        }
    }

    /** Removes and returns the sign-in for {@code state}; empty if it never existed or was used already. */
    public Optional<OAuthState> take(String state) {
        try {
            var response = db.deleteItem(r -> r.tableName(table).key(key(state))
                    .conditionExpression("attribute_exists(pk)")
                    .returnValues(ReturnValue.ALL_OLD));
            var item = response.attributes();
            return Optional.of(new OAuthState(state,
                    Attr.string(item, "nonce").orElse(""),
                    Attr.string(item, "codeVerifier").orElse(""),
                    Attr.string(item, "redirect").orElse(""),
                    Attr.string(item, "bindingHash").orElse(""),
                    Instant.ofEpochSecond(Attr.number(item, "expiresAt").orElse(0L))));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw DynamoErrors.translate("DeleteItem", e);
        }
    }
}
