package dev.userapi.local.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.user.Session;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserFilter;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import dev.userapi.local.Ports;
import dev.userapi.local.ProjectLayout;
import dev.userapi.local.template.LocalResources;
import dev.userapi.local.template.SamTemplate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Persistent local data written by the previous data model (one unsharded listing partition, sessions in
 * the listing index, projection ALL): starting the stack on it brings the indexes in line with the
 * template and rewrites the items' index keys, so listings and sessions work on the old data.
 */
class TableMigrationTest {
    private static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");
    private static DynamoDbLocal local;
    private static DynamoDbClient db;

    @BeforeAll
    static void start() {
        ProjectLayout layout = new ProjectLayout(ProjectLayout.findRoot());
        local = DynamoDbLocal.start(Ports.free(), Optional.empty(), layout.nativeLibraries());
        db = DynamoDbClient.builder().endpointOverride(local.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        db.close();
        local.close();
    }

    private static Map<String, Object> templateTable() {
        ProjectLayout layout = new ProjectLayout(ProjectLayout.findRoot());
        SamTemplate template = SamTemplate.load(layout.template(), Map.of(),
                Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "123456789012", "AWS::StackName", "s", "AWS::Partition", "aws",
                        "AWS::URLSuffix", "amazonaws.com"), new LocalResources());
        return template.properties(template.onlyOfType("AWS::DynamoDB::Table"));
    }

    private static Map<String, AttributeValue> item(String... keysAndValues) {
        Map<String, AttributeValue> item = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            item.put(keysAndValues[i], AttributeValue.fromS(keysAndValues[i + 1]));
        }
        return item;
    }

    private static void oldProfile(String table, String id, String email, String status, String... roles) {
        Map<String, AttributeValue> profile = item("pk", "USER#" + id, "sk", "PROFILE", "gsi1pk", "USERS", "gsi1sk", email + "#" + id,
                "id", id, "email", email, "status", status, "createdAt", T0.toString(), "updatedAt", T0.toString());
        profile.put("roles", AttributeValue.fromL(java.util.Arrays.stream(roles).map(AttributeValue::fromS).toList()));
        profile.put("version", AttributeValue.fromN("1"));
        profile.put("mfaEnabled", AttributeValue.fromBool(false));
        db.putItem(r -> r.tableName(table).item(profile));
        for (String role : roles) {
            db.putItem(r -> r.tableName(table).item(item("pk", "USER#" + id, "sk", "ROLE#" + role, "id", id, "role", role,
                    "gsi1pk", "ROLE#" + role, "gsi1sk", email + "#" + id)));
        }
    }

    @Test
    void anOldModelsTable_isMigrated_andItsDataListed() {
        String table = "old-model";
        db.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("gsi1pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("gsi1sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName("ByEmail")
                        .keySchema(k -> k.attributeName("gsi1pk").keyType(KeyType.HASH), k -> k.attributeName("gsi1sk").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        oldProfile(table, "u1", "zoe@example.com", "ENABLED", "user", "admin");
        oldProfile(table, "u2", "ann@example.com", "DISABLED", "user");
        oldProfile(table, "u3", "max@example.com", "ENABLED", "user", "support");
        db.putItem(r -> r.tableName(table).item(item("pk", "SESSION#abc", "sk", "SESSION", "gsi1pk", "SESSIONS#u1",
                "gsi1sk", T0 + "#s1", "id", "s1", "userId", "u1", "createdAt", T0.toString(), "lastUsedAt", T0.toString(),
                "sourceIp", "192.0.2.1", "userAgent", "test")));

        TableCreator.create(local.endpoint(), "us-east-1", table, templateTable());

        List<GlobalSecondaryIndexDescription> indexes = db.describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes();
        assertThat(indexes).extracting(GlobalSecondaryIndexDescription::indexName).containsExactlyInAnyOrder("ByEmail", "SessionsByUser");
        assertThat(indexes).filteredOn(i -> i.indexName().equals("ByEmail")).first()
                .satisfies(i -> assertThat(i.projection().projectionType()).isEqualTo(ProjectionType.INCLUDE));

        UserRepository users = new UserRepository(db, table, List.of("user", "admin", "support"), Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(users.list(UserFilter.none(), 10, Optional.empty()).items()).extracting(UserProfile::email)
                .containsExactly("ann@example.com", "max@example.com", "zoe@example.com");
        assertThat(users.list(new UserFilter(Optional.empty(), Optional.of("support"), Optional.empty()), 10, Optional.empty()).items())
                .extracting(UserProfile::email).containsExactly("max@example.com");
        assertThat(users.list(new UserFilter(Optional.empty(), Optional.empty(), Optional.of(dev.userapi.core.user.UserStatus.DISABLED)),
                10, Optional.empty()).items()).extracting(UserProfile::email).containsExactly("ann@example.com");
        assertThat(new SessionRepository(db, table).listForUser("u1")).extracting(Session::id).containsExactly("s1");
        assertThat(db.getItem(r -> r.tableName(table).key(item("pk", "SESSION#abc", "sk", "SESSION"))).item())
                .doesNotContainKeys("gsi1pk", "gsi1sk");

        // a second start finds nothing to do, and leaves the data alone
        TableCreator.create(local.endpoint(), "us-east-1", table, templateTable());
        assertThat(users.list(UserFilter.none(), 10, Optional.empty()).items()).hasSize(3);
    }
}
