package dev.userapi.webhooks.delivery;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.Cursors;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.StoredItems;
import dev.userapi.core.user.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Webhooks, deliveries and attempts in the users table (docs/DATA-MODEL.md): {@code WEBHOOKS / WEBHOOK#<id>} (one
 * partition: the registrations, at most {@link #MAX_WEBHOOKS}), {@code WEBHOOK#<id> / DELIVERY#<deliveryId>} (the event
 * as sent, status, attempts made) and {@code WEBHOOK#<id> / ATTEMPT#<at>#<deliveryId>#<nn>} (one per attempt, newest
 * last in key order). Deliveries and attempts expire after {@link #RETENTION} (TTL {@code expiresAt}). None of these
 * items produces an event.
 */
public final class WebhookRepository {
    private static final String KIND = "webhook";
    public static final int MAX_WEBHOOKS = 100;
    public static final Duration RETENTION = Duration.ofDays(30);
    static final String LIST_PK = "WEBHOOKS";

    private final DynamoDbClient db;
    private final String table;
    private final Clock clock;

    public WebhookRepository(DynamoDbClient db, String table, Clock clock) {
        this.db = db;
        this.table = table;
        this.clock = clock;
    }

    static Map<String, AttributeValue> webhookKey(String id) {
        return Map.of("pk", s(LIST_PK), "sk", s("WEBHOOK#" + id));
    }

    static Map<String, AttributeValue> deliveryKey(String webhookId, String deliveryId) {
        return Map.of("pk", s("WEBHOOK#" + webhookId), "sk", s("DELIVERY#" + deliveryId));
    }

    /** Stores a new webhook; false when {@link #MAX_WEBHOOKS} are registered already. */
    public boolean putWebhook(Webhook webhook) {
        if (listWebhooks().size() >= MAX_WEBHOOKS) {
            return false;
        }
        Map<String, AttributeValue> item = new HashMap<>(webhookKey(webhook.id()));
        item.put("id", s(webhook.id()));
        item.put("url", s(webhook.url()));
        item.put("events", Attr.list(webhook.events()));
        webhook.description().ifPresent(d -> item.put("description", s(d)));
        item.put("createdAt", s(webhook.createdAt().toString()));
        item.put("secretCiphertext", s(webhook.secretCiphertext()));
        try {
            db.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (SdkException e) {
            throw DynamoErrors.translate("PutItem", e);
        }
    }

    public List<Webhook> listWebhooks() {
        List<Webhook> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = db.query(r -> r.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", s(LIST_PK), ":prefix", s("WEBHOOK#")))
                        .exclusiveStartKey(from));
                page.items().forEach(item -> out.add(webhook(item)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            return out;
        } catch (SdkException e) {
            throw DynamoErrors.translate("Query", e);
        }
    }

    public Optional<Webhook> findWebhook(String id) {
        try {
            var item = db.getItem(r -> r.tableName(table).key(webhookKey(id)).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(webhook(item));
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    /** Removes a webhook (its deliveries expire); false if there was none. */
    public boolean deleteWebhook(String id) {
        try {
            db.deleteItem(r -> r.tableName(table).key(webhookKey(id)).conditionExpression("attribute_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw DynamoErrors.translate("DeleteItem", e);
        }
    }

    /** Creates the delivery unless it exists (the same event delivered again); returns the stored one. */
    public Delivery createDelivery(Delivery delivery) {
        Map<String, AttributeValue> item = new HashMap<>(deliveryKey(delivery.webhookId(), delivery.id()));
        item.put("deliveryId", s(delivery.id()));
        item.put("eventId", s(delivery.eventId()));
        item.put("type", s(delivery.type()));
        item.put("body", s(delivery.body()));
        item.put("status", s(delivery.status()));
        item.put("attempts", n(delivery.attempts()));
        item.put("createdAt", s(clock.instant().toString()));
        item.put("expiresAt", n(clock.instant().plus(RETENTION).getEpochSecond()));
        try {
            db.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return delivery;
        } catch (ConditionalCheckFailedException e) {
            return findDelivery(delivery.webhookId(), delivery.id()).orElse(delivery);
        } catch (SdkException e) {
            throw DynamoErrors.translate("PutItem", e);
        }
    }

    public Optional<Delivery> findDelivery(String webhookId, String deliveryId) {
        try {
            var item = db.getItem(r -> r.tableName(table).key(deliveryKey(webhookId, deliveryId)).consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(StoredItems.readable(KIND, item, () -> new Delivery(webhookId, deliveryId, StoredItems.string(item, "eventId"),
                    StoredItems.string(item, "type"), StoredItems.string(item, "body"), StoredItems.string(item, "status"),
                    Math.toIntExact(StoredItems.number(item, "attempts")))));
        } catch (SdkException e) {
            throw DynamoErrors.translate("GetItem", e);
        }
    }

    /**
     * Takes attempt {@code attempt} of a delivery until {@code leaseUntil}: only one taker wins. The count moves from
     * {@code attempt - 1}; or, when the attempt was taken but never recorded (the taker crashed or timed out: its lease
     * is still there) and the lease has passed, it is taken again, so a redelivered queue message makes the attempt
     * instead of finding it "already made". An automatic attempt only while the delivery is pending or retrying (a
     * duplicate queue message finds it taken or recorded).
     */
    public boolean claim(String webhookId, String deliveryId, int attempt, boolean manual, Instant leaseUntil) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":previous", n(attempt - 1L), ":n", n(attempt),
                ":now", n(clock.instant().getEpochSecond()), ":lease", n(leaseUntil.getEpochSecond())));
        String condition = "(attempts = :previous OR (attempts = :n AND leaseUntil < :now))";
        if (!manual) {
            condition += " AND #status IN (:pending, :retrying)";
            values.put(":pending", s(Delivery.PENDING));
            values.put(":retrying", s(Delivery.RETRYING));
        }
        String finalCondition = condition;
        try {
            db.updateItem(r -> r.tableName(table).key(deliveryKey(webhookId, deliveryId))
                    .updateExpression("SET attempts = :n, leaseUntil = :lease")
                    .conditionExpression(finalCondition)
                    .expressionAttributeNames(manual ? null : Map.of("#status", "status"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }

    /**
     * Records an attempt and, if it is still the delivery's latest (no later attempt was taken meanwhile: a replay
     * racing an automatic attempt), the delivery's new status, releasing the attempt's lease. Returns whether the
     * status was set; an older attempt's outcome never overwrites a newer one's.
     */
    public boolean recordAttempt(String webhookId, Attempt attempt, String deliveryStatus) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s("WEBHOOK#" + webhookId));
        item.put("sk", s("ATTEMPT#" + attempt.at() + "#" + attempt.deliveryId() + "#" + String.format("%02d", attempt.attempt())));
        item.put("deliveryId", s(attempt.deliveryId()));
        item.put("eventId", s(attempt.eventId()));
        item.put("type", s(attempt.type()));
        item.put("attempt", n(attempt.attempt()));
        item.put("status", s(attempt.status()));
        if (attempt.responseStatus() != null) {
            item.put("responseStatus", n(attempt.responseStatus()));
        }
        item.put("at", s(attempt.at().toString()));
        item.put("expiresAt", n(attempt.at().plus(RETENTION).getEpochSecond()));
        try {
            db.putItem(r -> r.tableName(table).item(item));
        } catch (SdkException e) {
            throw DynamoErrors.translate("PutItem", e);
        }
        try {
            db.updateItem(r -> r.tableName(table).key(deliveryKey(webhookId, attempt.deliveryId()))
                    .updateExpression("SET #status = :status, lastAttemptAt = :at REMOVE leaseUntil")
                    .conditionExpression("attempts = :attempt")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":status", s(deliveryStatus), ":at", s(attempt.at().toString()),
                            ":attempt", n(attempt.attempt()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false; // a later attempt was taken (its outcome decides), or the delivery expired: the attempt stays recorded
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }

    /**
     * The start key a cursor of this webhook's attempts stands for; a cursor that is malformed, altered or of
     * another listing is a 400 (checked before anything is read, so the answer does not depend on the webhook).
     */
    public static Map<String, AttributeValue> attemptsStart(String webhookId, Optional<String> cursor) {
        String pk = "WEBHOOK#" + webhookId;
        return cursor.map(c -> Cursors.decode(c, Set.of("pk", "sk"),
                key -> pk.equals(key.get("pk")) && key.get("sk").startsWith("ATTEMPT#"))).orElse(null);
    }

    /** A webhook's attempts, newest first; the cursor is opaque (base64url of the last key). */
    public Page<Attempt> attempts(String webhookId, int limit, Optional<String> cursor) {
        String pk = "WEBHOOK#" + webhookId;
        Map<String, AttributeValue> start = attemptsStart(webhookId, cursor);
        try {
            QueryResponse page = db.query(r -> r.tableName(table).consistentRead(true).scanIndexForward(false).limit(limit)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s("ATTEMPT#")))
                    .exclusiveStartKey(start));
            List<Attempt> items = new ArrayList<>();
            for (Map<String, AttributeValue> item : page.items()) {
                items.add(attempt(item));
            }
            String next = null;
            if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
                Map<String, AttributeValue> last = new LinkedHashMap<>();
                last.put("pk", page.lastEvaluatedKey().get("pk"));
                last.put("sk", page.lastEvaluatedKey().get("sk"));
                next = Cursors.encode(last);
            }
            return new Page<>(items, next);
        } catch (SdkException e) {
            throw DynamoErrors.translate("Query", e);
        }
    }

    /** An attempt as {@link #recordAttempt} writes it (the response status only when there was a response). */
    static Attempt attempt(Map<String, AttributeValue> item) {
        return StoredItems.readable(KIND, item, () -> new Attempt(StoredItems.string(item, "deliveryId"), StoredItems.string(item, "eventId"),
                StoredItems.string(item, "type"), Math.toIntExact(StoredItems.number(item, "attempt")), StoredItems.string(item, "status"),
                Attr.number(item, "responseStatus").map(Math::toIntExact).orElse(null), StoredItems.instant(item, "at")));
    }

    /** A webhook as {@link #putWebhook} writes it (the description only when there is one). */
    static Webhook webhook(Map<String, AttributeValue> item) {
        return StoredItems.readable(KIND, item, () -> new Webhook(StoredItems.string(item, "id"), StoredItems.string(item, "url"),
                Attr.strings(item, "events"), Attr.string(item, "description"), StoredItems.instant(item, "createdAt"),
                StoredItems.string(item, "secretCiphertext")));
    }
}
