package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Brings items written under an older data model to the current index keys (docs/DATA-MODEL.md,
 * "Migration"): profiles and role memberships from the single {@code USERS} / {@code ROLE#<role>}
 * partitions to their shards, and sessions out of the listing index (they have their own). One pass
 * over the table, idempotent, safe while the API runs: every rewrite is conditioned on the item
 * still being what was read, and an item changed meanwhile was written with the current keys by
 * whoever changed it. Never used while serving requests; run by the local stack on persistent data
 * and by {@code scripts/backfill-index-keys.sh} against a deployed table.
 */
public final class IndexKeyBackfill {
    /** What one pass did. */
    public record Counts(long scanned, long profiles, long memberships, long sessions) {
        public long rewritten() {
            return profiles + memberships + sessions;
        }
    }

    private IndexKeyBackfill() {
    }

    public static Counts run(DynamoDbClient db, String table) {
        long scanned = 0;
        long profiles = 0;
        long memberships = 0;
        long sessions = 0;
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder().tableName(table)
                    .projectionExpression("pk, sk, id, email, #status, gsi1pk, gsi1sk")
                    .expressionAttributeNames(Map.of("#status", "status"));
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            ScanResponse page = db.scan(scan.build());
            for (Map<String, AttributeValue> item : page.items()) {
                scanned++;
                String pk = Attr.string(item, UserItems.PK).orElse("");
                String sk = Attr.string(item, UserItems.SK).orElse("");
                Optional<String> indexed = Attr.string(item, UserItems.GSI_PK);
                if (pk.startsWith("SESSION#") && indexed.isPresent()) {
                    sessions += rewrite(db, table, item, "REMOVE gsi1pk, gsi1sk", Map.of()) ? 1 : 0;
                } else if (pk.startsWith("USER#") && sk.equals(UserItems.PROFILE) && indexed.isPresent()
                        && Attr.string(item, "email").isPresent() && !UserItems.isTombstone(item)) {
                    String email = Attr.string(item, "email").get();
                    UserStatus status = UserStatus.valueOf(Attr.string(item, "status").orElse("ENABLED"));
                    String partition = UserItems.profilePartition(status, UserItems.shard(email));
                    String key = UserItems.listingKey(email, pk.substring("USER#".length()));
                    if (!partition.equals(indexed.get()) || !key.equals(Attr.string(item, UserItems.GSI_SK).orElse(""))) {
                        profiles += rewrite(db, table, item, "SET gsi1pk = :gpk, gsi1sk = :gsk",
                                Map.of(":gpk", s(partition), ":gsk", s(key), ":status", s(status.name()))) ? 1 : 0;
                    }
                } else if (pk.startsWith("USER#") && sk.startsWith("ROLE#") && indexed.isPresent()
                        && Attr.string(item, UserItems.GSI_SK).isPresent()) {
                    String key = Attr.string(item, UserItems.GSI_SK).get();
                    String email = key.substring(0, Math.max(0, key.lastIndexOf('#')));
                    String partition = UserItems.rolePartition(sk.substring("ROLE#".length()), UserItems.shard(email));
                    if (!email.isEmpty() && !partition.equals(indexed.get())) {
                        memberships += rewrite(db, table, item, "SET gsi1pk = :gpk", Map.of(":gpk", s(partition))) ? 1 : 0;
                    }
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new Counts(scanned, profiles, memberships, sessions);
    }

    /** Applies {@code update} if the item's index keys (and status) are still the ones read; false if it changed meanwhile. */
    private static boolean rewrite(DynamoDbClient db, String table, Map<String, AttributeValue> item, String update,
                                   Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":oldpk", item.get(UserItems.GSI_PK));
        all.put(":oldsk", item.getOrDefault(UserItems.GSI_SK, s("")));
        // a profile's partition follows its status: only if the status is still the one read
        boolean withStatus = values.containsKey(":status");
        try {
            db.updateItem(r -> {
                r.tableName(table)
                        .key(Map.of(UserItems.PK, item.get(UserItems.PK), UserItems.SK, item.get(UserItems.SK)))
                        .updateExpression(update)
                        .conditionExpression("gsi1pk = :oldpk AND gsi1sk = :oldsk" + (withStatus ? " AND #status = :status" : ""))
                        .expressionAttributeValues(all);
                if (withStatus) {
                    r.expressionAttributeNames(Map.of("#status", "status"));
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
