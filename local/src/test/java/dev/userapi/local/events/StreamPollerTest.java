package dev.userapi.local.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import dev.userapi.local.Ports;
import dev.userapi.local.ProjectLayout;
import dev.userapi.local.dynamodb.DynamoDbLocal;
import dev.userapi.local.dynamodb.TableCreator;
import dev.userapi.local.lambda.LambdaFunction;
import dev.userapi.local.lambda.LambdaFunctions;
import dev.userapi.local.template.FunctionDefinition;
import dev.userapi.local.template.LocalResources;
import dev.userapi.local.template.SamTemplate;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * The stream event source's failure handling, as template.yaml configures PublishEventsFunction's
 * ({@code BisectBatchOnFunctionError}, {@code MaximumRetryAttempts}, {@code DestinationConfig.OnFailure}): a record the
 * function always fails on ends alone in the on-failure queue, every other record of its batch is handled, in order.
 */
class StreamPollerTest {
    /** The batches the function was invoked with (their keys), in order. */
    static final List<List<String>> BATCHES = new CopyOnWriteArrayList<>();

    /** Fails (a function error) on any batch holding the key {@code POISON}. */
    public static final class Poisoned implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
            List<String> keys = new ArrayList<>();
            for (Object r : (List<Object>) event.get("Records")) {
                Map<String, Object> keysOf = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) r).get("dynamodb")).get("Keys");
                keys.add(String.valueOf(((Map<String, Object>) keysOf.get("pk")).get("S")));
            }
            BATCHES.add(keys);
            if (keys.contains("POISON")) {
                throw new IllegalStateException("cannot publish");
            }
            return Map.of("batchItemFailures", List.of());
        }
    }

    private final LambdaFunctions functions = new LambdaFunctions("us-east-1", "123456789012");

    @AfterEach
    void close() {
        functions.close();
        BATCHES.clear();
    }

    private static Record record(int sequence, String pk) {
        return Record.builder().eventID("e" + sequence).eventName(OperationType.INSERT).eventVersion("1.1")
                .dynamodb(StreamRecord.builder().sequenceNumber(String.valueOf(100 + sequence)).approximateCreationDateTime(Instant.EPOCH)
                        .keys(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("X"))).sizeBytes(10L)
                        .streamViewType("NEW_AND_OLD_IMAGES").build()).build();
    }

    private StreamPoller poller(boolean bisect, Optional<LocalQueue> onFailure) {
        LambdaFunction function = functions.register(new FunctionDefinition("Publisher", Poisoned.class.getName() + "::handleRequest", "x",
                "java21", 10, 512, Map.of(), List.of()), Map.of());
        return new StreamPoller(URI.create("http://127.0.0.1:1"), "us-east-1", "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/s",
                function, 100, 2, bisect, onFailure, Optional.empty());
    }

    @Test
    void aPoisonedRecord_isBisectedOutAndSentToTheOnFailureQueue_theRestOfItsBatchIsHandled() throws Exception {
        LocalQueue failures = new LocalQueue("PublisherFailureQueue", "arn:aws:sqs:us-east-1:123456789012:f", "http://127.0.0.1/f",
                Duration.ofSeconds(30), Clock.systemUTC(), Optional.empty());
        List<Record> batch = List.of(record(1, "A"), record(2, "B"), record(3, "POISON"), record(4, "C"));

        poller(true, Optional.of(failures)).deliver("shard-1", batch);

        // every record but the poisoned one reached the function in a batch that succeeded, in stream order
        List<String> handled = BATCHES.stream().filter(b -> !b.contains("POISON")).flatMap(List::stream).toList();
        assertThat(handled).containsExactly("A", "B", "C");
        assertThat(BATCHES.get(0)).containsExactly("A", "B", "POISON", "C");
        List<LocalQueue.Message> sent = failures.messages();
        assertThat(sent).hasSize(1);
        JsonNode info = Json.readTree(sent.get(0).body()).path("DDBStreamBatchInfo");
        assertThat(info.path("shardId").asText()).isEqualTo("shard-1");
        assertThat(info.path("startSequenceNumber").asText()).isEqualTo("103");
        assertThat(info.path("endSequenceNumber").asText()).isEqualTo("103");
        assertThat(info.path("batchSize").asInt()).isEqualTo(1);
        assertThat(Json.readTree(sent.get(0).body()).path("requestContext").path("condition").asText()).isEqualTo("RetryAttemptsExhausted");
        // the poisoned record alone was tried at most 1 + MaximumRetryAttempts times in all
        assertThat(BATCHES.stream().filter(b -> b.contains("POISON")).count()).isLessThanOrEqualTo(3);
    }

    @Test
    void withoutBisect_theWholeBatchFailsTogether_andGoesToTheQueueAsOneRange() throws Exception {
        LocalQueue failures = new LocalQueue("PublisherFailureQueue", "arn:aws:sqs:us-east-1:123456789012:f", "http://127.0.0.1/f",
                Duration.ofSeconds(30), Clock.systemUTC(), Optional.empty());
        poller(false, Optional.of(failures)).deliver("shard-1", List.of(record(1, "A"), record(2, "POISON"), record(3, "B")));

        assertThat(BATCHES).hasSize(3).allSatisfy(b -> assertThat(b).containsExactly("A", "POISON", "B"));
        JsonNode info = Json.readTree(failures.messages().get(0).body()).path("DDBStreamBatchInfo");
        assertThat(new BigInteger(info.path("startSequenceNumber").asText())).isEqualTo(BigInteger.valueOf(101));
        assertThat(new BigInteger(info.path("endSequenceNumber").asText())).isEqualTo(BigInteger.valueOf(103));
        assertThat(info.path("batchSize").asInt()).isEqualTo(3);
    }

    private static Map<String, Object> templateTable() {
        SamTemplate template = SamTemplate.load(new ProjectLayout(ProjectLayout.findRoot()).template(), Map.of(),
                Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "123456789012", "AWS::StackName", "s", "AWS::Partition", "aws",
                        "AWS::URLSuffix", "amazonaws.com"), new LocalResources());
        return template.properties(template.onlyOfType("AWS::DynamoDB::Table"));
    }

    private static void put(DynamoDbLocal local, String table, String... pks) {
        try (DynamoDbClient db = DynamoDbClient.builder().endpointOverride(local.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            for (String pk : pks) {
                db.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("X"))));
            }
        }
    }

    private static List<String> handled() {
        return BATCHES.stream().flatMap(List::stream).toList();
    }

    /** Polls until {@code count} records were handed over (a bound on rounds, not on time). */
    private static void pollUntil(StreamPoller poller, int count) throws InterruptedException {
        for (int round = 0; round < 200 && handled().size() < count; round++) {
            if (poller.pollOnce() == 0) {
                Thread.sleep(50);
            }
        }
    }

    @Test
    void restartedOnTheSameData_thePollerResumesAfterTheLastHandledRecord_noneLostNoneRepeated(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("dynamodb");
        Path position = dir.resolve("streams").resolve("Publisher.json");
        Path natives = new ProjectLayout(ProjectLayout.findRoot()).nativeLibraries();
        LambdaFunction function = functions.register(new FunctionDefinition("Publisher", Poisoned.class.getName() + "::handleRequest", "x",
                "java21", 10, 512, Map.of(), List.of()), Map.of());

        DynamoDbLocal first = DynamoDbLocal.start(Ports.free(), Optional.of(data), natives);
        String table;
        try {
            table = TableCreator.create(first.endpoint(), "us-east-1", "users", templateTable());
            String arn = TableCreator.streamArn(first.endpoint(), "us-east-1", table).orElseThrow();
            put(first, table, "A1", "A2", "A3");
            StreamPoller poller = new StreamPoller(first.endpoint(), "us-east-1", arn, function, 100, 2, true, Optional.empty(), Optional.of(position));
            pollUntil(poller, 3);
            poller.close();
            assertThat(handled()).containsExactly("A1", "A2", "A3");
            // changes after the last poll: only in the stream when the stack stops
            put(first, table, "B1", "B2");
        } finally {
            first.close();
        }

        DynamoDbLocal second = DynamoDbLocal.start(Ports.free(), Optional.of(data), natives);
        try {
            TableCreator.create(second.endpoint(), "us-east-1", table, templateTable());
            String arn = TableCreator.streamArn(second.endpoint(), "us-east-1", table).orElseThrow();
            BATCHES.clear();
            StreamPoller poller = new StreamPoller(second.endpoint(), "us-east-1", arn, function, 100, 2, true, Optional.empty(), Optional.of(position));
            pollUntil(poller, 2);
            put(second, table, "C1");
            pollUntil(poller, 3);
            poller.close();
            assertThat(handled()).as("after the restart: the pending records, then new ones; nothing handled before").containsExactly("B1", "B2", "C1");
        } finally {
            second.close();
        }
    }
}
