package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.Cursors;
import dev.userapi.core.aws.DynamoErrors;
import java.time.Instant;
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

    @SuppressWarnings("unchecked")
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
            var items = response.items().stream().map(item -> new AuditEntry(
                    Instant.parse(Attr.string(item, "at").orElseThrow()),
                    Attr.string(item, "actor").orElse(""),
                    Attr.string(item, "action").orElse(""),
                    Attr.string(item, "target").orElse(target),
                    item.containsKey("details") ? (Map<String, Object>) Attr.toJava(item.get("details")) : Map.of()))
                    .toList();
            return new Page<>(items, response.hasLastEvaluatedKey() ? Cursors.encode(response.lastEvaluatedKey()) : null);
        } catch (SdkException e) {
            throw DynamoErrors.translate("Query", e);
        }
    }
}
