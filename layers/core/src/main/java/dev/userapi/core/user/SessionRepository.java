package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.StoredItems;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The session registry: one item per login, keyed by the SHA-256 of the refresh token
 * ({@code pk=SESSION#<hash>}), listed per user through their own index ({@code SessionsByUser}:
 * {@code userId}, {@code createdAt}), apart from the profiles' listing index.
 * Refresh through the API requires the session to exist and to be newer than the user's
 * {@code revokedBefore}, so sign-out works even where Cognito's global sign-out does not.
 */
public final class SessionRepository {
    /** Sessions are dropped by DynamoDB's TTL after the refresh token's own lifetime. */
    public static final Duration LIFETIME = Duration.ofDays(30);

    private final DynamoDbClient db;
    private final String table;

    public SessionRepository(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    /** The key of a refresh token in the registry: its SHA-256, hex. The token is never stored. */
    public static String hash(String refreshToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(refreshToken.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, AttributeValue> key(String tokenHash) {
        return Map.of("pk", s("SESSION#" + tokenHash), "sk", s("SESSION"));
    }

    public void put(Session session) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(session.tokenHash()));
        item.put("id", s(session.id()));
        item.put("userId", s(session.userId()));
        item.put("createdAt", s(session.createdAt().toString()));
        item.put("lastUsedAt", s(session.lastUsedAt().toString()));
        item.put("sourceIp", s(session.sourceIp()));
        item.put("userAgent", s(session.userAgent().isEmpty() ? "-" : session.userAgent()));
        item.put("expiresAt", n(session.createdAt().plus(LIFETIME).getEpochSecond()));
        if (session.originJti() != null) {
            item.put("originJti", s(session.originJti()));
        }
        try {
            db.putItem(r -> r.tableName(table).item(item));
        } catch (SdkException e) {
            throw DynamoErrors.translate("PutItem", e);
        }
    }

    public Optional<Session> find(String tokenHash) {
        try {
            var response = db.getItem(r -> r.tableName(table).key(key(tokenHash)).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty()
                    ? Optional.of(toSession(tokenHash, response.item())) : Optional.empty();
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    /** Marks the session as used now; false if it was removed meanwhile. */
    public boolean touch(String tokenHash, Instant now) {
        return touch(tokenHash, now, null);
    }

    /**
     * Marks the session as used now and records its {@code origin_jti} when given (sessions begun before
     * it was recorded learn it at their next refresh); false if the session was removed meanwhile.
     */
    public boolean touch(String tokenHash, Instant now, String originJti) {
        Map<String, AttributeValue> values = originJti == null ? Map.of(":now", s(now.toString()))
                : Map.of(":now", s(now.toString()), ":jti", s(originJti));
        try {
            db.updateItem(r -> r.tableName(table).key(key(tokenHash))
                    .updateExpression(originJti == null ? "SET lastUsedAt = :now" : "SET lastUsedAt = :now, originJti = :jti")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }

    public void delete(String tokenHash) {
        try {
            db.deleteItem(r -> r.tableName(table).key(key(tokenHash)));
        } catch (SdkException e) {
            throw DynamoErrors.translate("DeleteItem", e);
        }
    }

    /** The user's sessions, newest first (at most 100: older ones are still refused or expire). */
    public List<Session> listForUser(String userId) {
        try {
            QueryResponse response = db.query(r -> r.tableName(table).indexName(UserRepository.SESSIONS_INDEX)
                    .keyConditionExpression("userId = :user")
                    .expressionAttributeValues(Map.of(":user", s(userId)))
                    .scanIndexForward(false)
                    .limit(100));
            return response.items().stream()
                    .map(item -> toSession(StoredItems.readable("session", item, () -> tokenHashOf(item)), item))
                    .toList();
        } catch (SdkException e) {
            throw DynamoErrors.translate("Query", e);
        }
    }

    /** Removes every session of the user (after {@code revokedBefore} was set, which already refuses them). */
    public void deleteAllForUser(String userId) {
        for (Session session : listForUser(userId)) {
            delete(session.tokenHash());
        }
    }

    /** The token hash a listed item's key holds ({@code SESSION#<hash>}). */
    private static String tokenHashOf(Map<String, AttributeValue> item) {
        String pk = StoredItems.string(item, "pk");
        if (!pk.startsWith("SESSION#")) {
            throw new IllegalArgumentException("not a session key");
        }
        return pk.substring("SESSION#".length());
    }

    /** A session as {@link #put} writes it: every attribute but {@code originJti} is there every time. */
    static Session toSession(String tokenHash, Map<String, AttributeValue> item) {
        return StoredItems.readable("session", item, () -> new Session(tokenHash,
                StoredItems.string(item, "id"),
                StoredItems.string(item, "userId"),
                StoredItems.instant(item, "createdAt"),
                StoredItems.instant(item, "lastUsedAt"),
                StoredItems.string(item, "sourceIp"),
                StoredItems.string(item, "userAgent"),
                Attr.string(item, "originJti").orElse(null)));
    }
}
