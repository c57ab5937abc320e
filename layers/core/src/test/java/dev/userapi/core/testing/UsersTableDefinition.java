package dev.userapi.core.testing;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The tests' copy of template.yaml's {@code UsersTable}: key schema, attribute definitions, the
 * {@code ByEmail} and {@code SessionsByUser} indexes, billing mode and TTL attribute. {@code UsersTableDefinitionTest} checks
 * that it equals the template's, so the two cannot drift apart.
 */
public final class UsersTableDefinition {
    public static final String TTL_ATTRIBUTE = "expiresAt";

    private UsersTableDefinition() {
    }

    public static CreateTableRequest request(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute("pk"), attribute("sk"), attribute("gsi1pk"), attribute("gsi1sk"), attribute("userId"), attribute("createdAt"))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName("ByEmail")
                        .keySchema(key("gsi1pk", KeyType.HASH), key("gsi1sk", KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes(
                                "id", "email", "name", "locale", "picture", "phoneNumber", "roles", "status", "mfaEnabled",
                                "createdAt", "updatedAt", "version").build())
                        .build(), GlobalSecondaryIndex.builder()
                        .indexName("SessionsByUser")
                        .keySchema(key("userId", KeyType.HASH), key("createdAt", KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes(
                                "id", "lastUsedAt", "sourceIp", "userAgent", "originJti").build())
                        .build())
                .build();
    }

    /** Creates the table with its TTL and waits until it is active. */
    public static void create(DynamoDbClient db, String tableName) {
        db.createTable(request(tableName));
        db.updateTimeToLive(r -> r.tableName(tableName)
                .timeToLiveSpecification(s -> s.attributeName(TTL_ATTRIBUTE).enabled(true)));
        db.waiter().waitUntilTableExists(r -> r.tableName(tableName));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
