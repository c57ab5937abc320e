package dev.userapi.core.attempts;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.DynamoRetry;
import dev.userapi.core.aws.StoredItems;
import dev.userapi.core.log.Log;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The attempt counters in the users table (docs/DATA-MODEL.md): {@code pk=ATTEMPTS#<kind>#<sha256(address)>},
 * {@code sk=ANY} (the address from any source) or {@code sk=IP#<sha256(source IP)>}, with
 * {@code failures}, {@code lastFailureAt} (epoch ms: what the limiter decides on) and {@code expiresAt}
 * (epoch s: the table's TTL, clean-up only). The tries of one sign-in session: {@code pk=ATTEMPTS#<kind>#SESSION#
 * <sha256(session)>}, {@code sk=TRIES}, with {@code tries} and {@code expiresAt} — never a {@code userId} (the sparse
 * {@code SessionsByUser} index would list the item as a session).
 */
public final class AttemptRepository implements AttemptStore {
    private static final Log LOG = Log.of(AttemptRepository.class);
    static final String ANY = "ANY";
    static final String TRIES = "TRIES";

    private final DynamoDbClient db;
    private final String table;
    private final DynamoRetry retry;

    public AttemptRepository(DynamoDbClient db, String table, DynamoRetry retry) {
        this.db = db;
        this.table = table;
        this.retry = retry;
    }

    public AttemptRepository(DynamoDbClient db, String table) {
        this(db, table, DynamoRetry.standard());
    }

    private static Map<String, AttributeValue> key(String partition, String sort) {
        return Map.of("pk", s(partition), "sk", s(sort));
    }

    @Override
    public Pair read(String partition, String source) {
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().consistentRead(true)
                .keys(key(partition, source), key(partition, ANY))
                .projectionExpression("sk, failures, lastFailureAt").build());
        Map<String, AttemptCounter> found = new HashMap<>();
        DynamoRetry.Budget budget = retry.start();
        Map<String, KeysAndAttributes> pending = request;
        try {
            while (true) {
                Map<String, KeysAndAttributes> next = pending;
                BatchGetItemResponse response = db.batchGetItem(r -> r.requestItems(next));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    // a reset removes the counts (REMOVE failures, ...): missing is none, a count that does not parse unreadable
                    found.put(Attr.string(item, "sk").orElse(""), StoredItems.readable("attempt", item, () -> new AttemptCounter(
                            Attr.number(item, "failures").orElse(0L), Attr.number(item, "lastFailureAt").orElse(0L))));
                }
                if (!response.hasUnprocessedKeys() || response.unprocessedKeys().isEmpty()) {
                    break;
                }
                pending = response.unprocessedKeys();
                budget.pauseOrGiveUp(null);
            }
        } catch (SdkException e) {
            throw DynamoErrors.translate("BatchGetItem", e);
        }
        return new Pair(found.getOrDefault(source, AttemptCounter.NONE), found.getOrDefault(ANY, AttemptCounter.NONE));
    }

    @Override
    public void addFailure(String partition, String source, long nowMillis, long forgetBeforeMillis, long expiresAtSeconds) {
        addFailure(key(partition, source), nowMillis, forgetBeforeMillis, expiresAtSeconds);
        addFailure(key(partition, ANY), nowMillis, forgetBeforeMillis, expiresAtSeconds);
    }

    /** ADD one to a live counter, or SET it to one when absent or forgotten; loops only on a race between the two. */
    private void addFailure(Map<String, AttributeValue> key, long nowMillis, long forgetBeforeMillis, long expiresAtSeconds) {
        Map<String, AttributeValue> values = Map.of(":one", n(1), ":now", n(nowMillis), ":forget", n(forgetBeforeMillis),
                ":exp", n(expiresAtSeconds));
        DynamoRetry.Budget budget = retry.start();
        try {
            while (true) {
                try {
                    db.updateItem(r -> r.tableName(table).key(key)
                            .updateExpression("ADD failures :one SET lastFailureAt = :now, expiresAt = :exp")
                            .conditionExpression("attribute_exists(failures) AND lastFailureAt > :forget")
                            .expressionAttributeValues(values));
                    return;
                } catch (ConditionalCheckFailedException absentOrForgotten) {
                    try {
                        db.updateItem(r -> r.tableName(table).key(key)
                                .updateExpression("SET failures = :one, lastFailureAt = :now, expiresAt = :exp")
                                .conditionExpression("attribute_not_exists(failures) OR lastFailureAt <= :forget")
                                .expressionAttributeValues(values));
                        return;
                    } catch (ConditionalCheckFailedException createdMeanwhile) {
                        budget.pauseOrGiveUp(createdMeanwhile);
                    }
                }
            }
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }

    @Override
    public boolean reserve(String partition, String source, Pair seen, Pair next, long expiresAtSeconds) {
        return replace("reserve", partition, source, seen, next, expiresAtSeconds);
    }

    @Override
    public void undo(String partition, String source, Pair reserved, Pair previous, long expiresAtSeconds) {
        try {
            if (!replace("undo", partition, source, reserved, previous, expiresAtSeconds)) {
                LOG.info("attempt counters changed since the reservation; not undone");
            }
        } catch (RuntimeException e) {
            LOG.warn("could not undo an attempt reservation; it counts as a failure", e);
        }
    }

    /** Both counters from {@code from} to {@code to} in one transaction, if both still hold {@code from}. */
    private boolean replace(String what, String partition, String source, Pair from, Pair to, long expiresAtSeconds) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(write(key(partition, source), from.pair(), to.pair(), expiresAtSeconds));
        writes.add(write(key(partition, ANY), from.address(), to.address(), expiresAtSeconds));
        DynamoRetry.Budget budget = retry.start();
        while (true) {
            try {
                db.transactWriteItems(r -> r.transactItems(writes));
                return true;
            } catch (TransactionCanceledException e) {
                if (!isOnlyConflict(e)) {
                    return false;
                }
                budget.pauseOrGiveUp(e);
            } catch (SdkException e) {
                throw DynamoErrors.translate("TransactWriteItems (" + what + " attempts)", e);
            }
        }
    }

    private TransactWriteItem write(Map<String, AttributeValue> key, AttemptCounter from, AttemptCounter to, long expiresAtSeconds) {
        Map<String, AttributeValue> values = new HashMap<>();
        String condition;
        if (from.isNone()) {
            condition = "attribute_not_exists(failures)";
        } else {
            condition = "failures = :f0 AND lastFailureAt = :t0";
            values.put(":f0", n(from.failures()));
            values.put(":t0", n(from.lastFailureMillis()));
        }
        Update.Builder update = Update.builder().tableName(table).key(key).conditionExpression(condition);
        if (to.isNone()) {
            update.updateExpression("REMOVE failures, lastFailureAt, expiresAt");
        } else {
            update.updateExpression("SET failures = :f1, lastFailureAt = :t1, expiresAt = :exp");
            values.put(":f1", n(to.failures()));
            values.put(":t1", n(to.lastFailureMillis()));
            values.put(":exp", n(expiresAtSeconds));
        }
        if (!values.isEmpty()) {
            update.expressionAttributeValues(values);
        }
        return TransactWriteItem.builder().update(update.build()).build();
    }

    /** True if the transaction was cancelled only because another one was in the way (not a condition). */
    private static boolean isOnlyConflict(TransactionCanceledException e) {
        return e.hasCancellationReasons() && e.cancellationReasons().stream().noneMatch(r -> "ConditionalCheckFailed".equals(r.code()))
                && e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
    }

    @Override
    public boolean countTry(String partition, long max, long expiresAtSeconds) {
        try {
            db.updateItem(r -> r.tableName(table).key(key(partition, TRIES))
                    .updateExpression("ADD tries :one SET expiresAt = if_not_exists(expiresAt, :exp)")
                    .conditionExpression("attribute_not_exists(tries) OR tries < :max")
                    .expressionAttributeValues(Map.of(":one", n(1), ":max", n(max), ":exp", n(expiresAtSeconds))));
            return true;
        } catch (ConditionalCheckFailedException used) {
            return false;
        } catch (SdkException e) {
            throw DynamoErrors.translate("UpdateItem", e);
        }
    }

    @Override
    public void reset(String partition, String source) {
        try {
            db.deleteItem(r -> r.tableName(table).key(key(partition, source)));
            db.deleteItem(r -> r.tableName(table).key(key(partition, ANY)));
        } catch (SdkException e) {
            throw DynamoErrors.translate("DeleteItem", e);
        }
    }
}
