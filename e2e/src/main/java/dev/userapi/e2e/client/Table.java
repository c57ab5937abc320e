package dev.userapi.e2e.client;

import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Read-only looks at what the API wrote (docs/DATA-MODEL.md): consistent reads of the stack's table and
 * the user's Cognito groups. Tests act through HTTP; these only look.
 */
public final class Table {
    private Table() {
    }

    private static DynamoDbClient db() {
        Requires.dynamoDb();
        return Target.get().dynamoDb().orElseThrow();
    }

    private static String name() {
        return Target.get().tableName();
    }

    /** The profile item (or the tombstone) of {@code id}; empty when there is none. */
    public static Map<String, AttributeValue> profileItem(String id) {
        return db().getItem(r -> r.tableName(name()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("USER#" + id), "sk", AttributeValue.fromS("PROFILE")))).item();
    }

    /** The profile items of {@code id} (0 or 1), by query. */
    public static List<Map<String, AttributeValue>> profileItems(String id) {
        return db().query(r -> r.tableName(name()).consistentRead(true)
                .keyConditionExpression("pk = :pk AND sk = :sk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("USER#" + id), ":sk", AttributeValue.fromS("PROFILE"))))
                .items();
    }

    /** The role membership items of {@code id}. */
    public static List<Map<String, AttributeValue>> roleItems(String id) {
        return db().query(r -> r.tableName(name()).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :role)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("USER#" + id), ":role", AttributeValue.fromS("ROLE#"))))
                .items();
    }

    /** Every item under {@code USER#<id>}. */
    public static List<Map<String, AttributeValue>> userItems(String id) {
        return db().query(r -> r.tableName(name()).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("USER#" + id)))).items();
    }

    /** The session items of {@code id} (index ByEmail). */
    public static List<Map<String, AttributeValue>> sessionItems(String id) {
        return db().query(r -> r.tableName(name()).indexName("SessionsByUser")
                .keyConditionExpression("userId = :id").expressionAttributeValues(Map.of(":id", AttributeValue.fromS(id))))
                .items();
    }

    /** The security activity items of {@code id} (issue 18), newest first. */
    public static List<Map<String, AttributeValue>> activityItems(String id) {
        return db().query(r -> r.tableName(name()).consistentRead(true).scanIndexForward(false)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACTIVITY#" + id))))
                .items();
    }

    /** How many security activity items the whole table holds (a scan: tests only). */
    public static long activityItemCount() {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var response = db().scan(r -> {
                r.tableName(name()).consistentRead(true).select("COUNT")
                        .filterExpression("begins_with(pk, :p)").expressionAttributeValues(Map.of(":p", AttributeValue.fromS("ACTIVITY#")));
                if (from != null) {
                    r.exclusiveStartKey(from);
                }
            });
            count += response.count();
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    /** The Cognito groups of the user {@code username}. */
    public static Set<String> groups(String username) {
        Requires.cognito();
        Target target = Target.get();
        return target.cognito().orElseThrow().adminListGroupsForUser(r -> r.userPoolId(target.userPoolId()).username(username))
                .groups().stream().map(GroupType::groupName).collect(Collectors.toSet());
    }
}
