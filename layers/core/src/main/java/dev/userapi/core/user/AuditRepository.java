package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.Cursors;
import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.StoredItems;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The audit trail: {@code pk=AUDIT#<target sub>, sk=<ISO instant>#<random>}, read newest first. */
public final class AuditRepository {
    private final DynamoDbClient db;
    private final String table;

    public AuditRepository(DynamoDbClient db, String table) {
        this.db = db;
        this.table = table;
    }

    public void append(AuditEntry entry) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", s("AUDIT#" + entry.target()));
        item.put("sk", s(entry.at().toString() + "#" + UUID.randomUUID()));
        item.put("at", s(entry.at().toString()));
        item.put("actor", s(entry.actor()));
        item.put("action", s(entry.action()));
        item.put("target", s(entry.target()));
        item.put("details", Attr.of(entry.details()));
        try {
            db.putItem(r -> r.tableName(table).item(item));
        } catch (SdkException e) {
            throw DynamoErrors.translate("PutItem", e);
        }
    }

    public Page<AuditEntry> list(String target, int limit, Optional<String> cursor) {
        String partition = "AUDIT#" + target;
        try {
            QueryResponse response = db.query(r -> {
                r.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(partition)))
                        .scanIndexForward(false)
                        .consistentRead(true)
                        .limit(limit);
                cursor.ifPresent(c -> r.exclusiveStartKey(
                        Cursors.decode(c, Set.of("pk", "sk"), key -> key.get("pk").equals(partition))));
            });
            var items = response.items().stream().map(item -> toEntry(target, item)).toList();
            return new Page<>(items, response.hasLastEvaluatedKey() ? Cursors.encode(response.lastEvaluatedKey()) : null);
        } catch (SdkException e) {
            throw DynamoErrors.translate("Query", e);
        }
    }

    /** An entry as {@link #append} writes it: its instant, actor, action and details (a map) every time. */
    @SuppressWarnings("unchecked")
    static AuditEntry toEntry(String target, Map<String, AttributeValue> item) {
        return StoredItems.readable("audit", item, () -> {
            AttributeValue details = item.get("details");
            if (details == null || !details.hasM()) {
                throw new java.util.NoSuchElementException("details");
            }
            return new AuditEntry(StoredItems.instant(item, "at"), StoredItems.string(item, "actor"), StoredItems.string(item, "action"),
                    Attr.string(item, "target").orElse(target), (Map<String, Object>) Attr.toJava(details));
        });
    }
}
