package dev.userapi.local.dynamodb;

import dev.userapi.core.user.IndexKeyBackfill;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Creates a table in DynamoDB Local from the template's {@code AWS::DynamoDB::Table} properties
 * (attribute definitions, key schema, secondary indexes, billing mode, TTL), so the local table is
 * the one CloudFormation would create. An existing table (persistent data) keeps its items; when its
 * secondary indexes are not the template's (data of an older model), they are brought in line one
 * at a time, as DynamoDB allows, and the items' index keys rewritten ({@link IndexKeyBackfill}).
 */
public final class TableCreator {
    private TableCreator() {
    }

    /** Creates the table unless it exists; returns its name. */
    public static String create(URI endpoint, String region, String tableName, Map<String, Object> properties) {
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10)).build())
                .build()) {
            if (dynamo.listTables().tableNames().contains(tableName)) {
                if (alignIndexes(dynamo, tableName, request(tableName, properties))) {
                    IndexKeyBackfill.Counts counts = IndexKeyBackfill.run(dynamo, tableName);
                    System.err.printf("[local] migrated %s to the template's indexes: %d of %d items rewritten%n",
                            tableName, counts.rewritten(), counts.scanned());
                }
                enableStream(dynamo, tableName, properties);
                return tableName;
            }
            dynamo.createTable(request(tableName, properties));
            ttl(properties).ifPresent(attribute ->
                    dynamo.updateTimeToLive(r -> r.tableName(tableName).timeToLiveSpecification(s -> s.attributeName(attribute).enabled(true))));
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(tableName));
            return tableName;
        } catch (ResourceInUseException e) {
            return tableName;
        }
    }

    /**
     * Deletes the indexes that differ from (or are not in) {@code wanted} and creates the missing
     * ones, one per {@code UpdateTable} as DynamoDB requires; true if anything changed.
     */
    static boolean alignIndexes(DynamoDbClient dynamo, String tableName, CreateTableRequest wanted) {
        Map<String, GlobalSecondaryIndexDescription> have = new LinkedHashMap<>();
        TableDescription table = dynamo.describeTable(r -> r.tableName(tableName)).table();
        if (table.hasGlobalSecondaryIndexes()) {
            table.globalSecondaryIndexes().forEach(i -> have.put(i.indexName(), i));
        }
        Map<String, GlobalSecondaryIndex> want = new LinkedHashMap<>();
        if (wanted.hasGlobalSecondaryIndexes()) {
            wanted.globalSecondaryIndexes().forEach(i -> want.put(i.indexName(), i));
        }
        boolean changed = false;
        for (GlobalSecondaryIndexDescription index : have.values()) {
            GlobalSecondaryIndex target = want.get(index.indexName());
            if (target == null || !target.keySchema().equals(index.keySchema()) || !sameProjection(target.projection(), index.projection())) {
                dynamo.updateTable(r -> r.tableName(tableName)
                        .globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName(index.indexName()))));
                awaitIndex(dynamo, tableName, index.indexName(), false);
                have.remove(index.indexName());
                changed = true;
            }
        }
        for (GlobalSecondaryIndex index : want.values()) {
            if (!have.containsKey(index.indexName())) {
                Set<String> keys = new HashSet<>();
                index.keySchema().forEach(k -> keys.add(k.attributeName()));
                dynamo.updateTable(r -> r.tableName(tableName)
                        .attributeDefinitions(wanted.attributeDefinitions().stream().filter(a -> keys.contains(a.attributeName())).toList())
                        .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(index.indexName())
                                .keySchema(index.keySchema()).projection(index.projection())
                                .provisionedThroughput(index.provisionedThroughput()))));
                awaitIndex(dynamo, tableName, index.indexName(), true);
                changed = true;
            }
        }
        return changed;
    }

    private static boolean sameProjection(Projection a, Projection b) {
        return a.projectionType() == b.projectionType()
                && new HashSet<>(a.nonKeyAttributes()).equals(new HashSet<>(b.nonKeyAttributes()));
    }

    /** Waits until the index is active ({@code present}) or gone. */
    private static void awaitIndex(DynamoDbClient dynamo, String tableName, String indexName, boolean present) {
        for (int attempt = 0; attempt < 600; attempt++) {
            TableDescription table = dynamo.describeTable(r -> r.tableName(tableName)).table();
            Optional<GlobalSecondaryIndexDescription> index = table.hasGlobalSecondaryIndexes()
                    ? table.globalSecondaryIndexes().stream().filter(i -> i.indexName().equals(indexName)).findFirst() : Optional.empty();
            if (present ? index.filter(i -> i.indexStatus() == IndexStatus.ACTIVE).isPresent() : index.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for index " + indexName, e);
            }
        }
        throw new IllegalStateException("index " + indexName + " of " + tableName + " did not become " + (present ? "active" : "deleted"));
    }

    @SuppressWarnings("unchecked")
    static CreateTableRequest request(String tableName, Map<String, Object> p) {
        CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(tableName);
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (Map<String, Object> a : maps(p.get("AttributeDefinitions"))) {
            attributes.add(AttributeDefinition.builder().attributeName(str(a, "AttributeName")).attributeType(str(a, "AttributeType")).build());
        }
        request.attributeDefinitions(attributes).keySchema(keys(p.get("KeySchema")));
        boolean onDemand = "PAY_PER_REQUEST".equals(String.valueOf(p.getOrDefault("BillingMode", "PROVISIONED")));
        if (onDemand) {
            request.billingMode(BillingMode.PAY_PER_REQUEST);
        } else {
            request.provisionedThroughput(throughput(p.get("ProvisionedThroughput")));
        }
        List<GlobalSecondaryIndex> globals = new ArrayList<>();
        for (Map<String, Object> index : maps(p.get("GlobalSecondaryIndexes"))) {
            GlobalSecondaryIndex.Builder gsi = GlobalSecondaryIndex.builder().indexName(str(index, "IndexName"))
                    .keySchema(keys(index.get("KeySchema"))).projection(projection(index.get("Projection")));
            if (!onDemand) {
                gsi.provisionedThroughput(throughput(index.get("ProvisionedThroughput")));
            }
            globals.add(gsi.build());
        }
        if (!globals.isEmpty()) {
            request.globalSecondaryIndexes(globals);
        }
        List<LocalSecondaryIndex> locals = new ArrayList<>();
        for (Map<String, Object> index : maps(p.get("LocalSecondaryIndexes"))) {
            locals.add(LocalSecondaryIndex.builder().indexName(str(index, "IndexName"))
                    .keySchema(keys(index.get("KeySchema"))).projection(projection(index.get("Projection"))).build());
        }
        if (!locals.isEmpty()) {
            request.localSecondaryIndexes(locals);
        }
        streamViewType(p).ifPresent(view -> request.streamSpecification(s -> s.streamEnabled(true).streamViewType(view)));
        return request.build();
    }

    /** The template's {@code StreamSpecification.StreamViewType}, if the table has a stream (issue 20: the events' source). */
    @SuppressWarnings("unchecked")
    static Optional<String> streamViewType(Map<String, Object> p) {
        if (p.get("StreamSpecification") instanceof Map<?, ?> raw && ((Map<String, Object>) raw).get("StreamViewType") != null) {
            return Optional.of(String.valueOf(((Map<String, Object>) raw).get("StreamViewType")));
        }
        return Optional.empty();
    }

    /** The table's current stream ARN, if it has a stream. */
    public static Optional<String> streamArn(URI endpoint, String region, String tableName) {
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10)).build())
                .build()) {
            return Optional.ofNullable(dynamo.describeTable(r -> r.tableName(tableName)).table().latestStreamArn());
        }
    }

    /** Turns the template's stream on for a table made before it had one (persistent data); its items from before are not in it. */
    static void enableStream(DynamoDbClient dynamo, String tableName, Map<String, Object> properties) {
        Optional<String> view = streamViewType(properties);
        TableDescription table = dynamo.describeTable(r -> r.tableName(tableName)).table();
        boolean enabled = table.streamSpecification() != null && Boolean.TRUE.equals(table.streamSpecification().streamEnabled());
        if (view.isPresent() && !enabled) {
            dynamo.updateTable(r -> r.tableName(tableName).streamSpecification(s -> s.streamEnabled(true).streamViewType(view.get())));
        }
    }

    @SuppressWarnings("unchecked")
    static Optional<String> ttl(Map<String, Object> p) {
        if (p.get("TimeToLiveSpecification") instanceof Map<?, ?> raw) {
            Map<String, Object> spec = (Map<String, Object>) raw;
            if (Boolean.parseBoolean(String.valueOf(spec.getOrDefault("Enabled", false))) && spec.get("AttributeName") != null) {
                return Optional.of(String.valueOf(spec.get("AttributeName")));
            }
        }
        return Optional.empty();
    }

    private static List<KeySchemaElement> keys(Object raw) {
        List<KeySchemaElement> keys = new ArrayList<>();
        for (Map<String, Object> k : maps(raw)) {
            keys.add(KeySchemaElement.builder().attributeName(str(k, "AttributeName")).keyType(str(k, "KeyType")).build());
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static Projection projection(Object raw) {
        Map<String, Object> p = raw instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("ProjectionType", "ALL");
        Projection.Builder projection = Projection.builder().projectionType(str(p, "ProjectionType"));
        if (p.get("NonKeyAttributes") instanceof List<?> attributes) {
            projection.nonKeyAttributes(attributes.stream().map(String::valueOf).toList());
        }
        return projection.build();
    }

    @SuppressWarnings("unchecked")
    private static ProvisionedThroughput throughput(Object raw) {
        Map<String, Object> t = raw instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return ProvisionedThroughput.builder()
                .readCapacityUnits(Long.parseLong(String.valueOf(t.getOrDefault("ReadCapacityUnits", 5))))
                .writeCapacityUnits(Long.parseLong(String.valueOf(t.getOrDefault("WriteCapacityUnits", 5)))).build();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object raw) {
        List<Map<String, Object>> list = new ArrayList<>();
        if (raw instanceof List<?> items) {
            items.forEach(item -> list.add((Map<String, Object>) item));
        }
        return list;
    }

    private static String str(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("The table definition lacks " + key);
        }
        return String.valueOf(value);
    }
}
