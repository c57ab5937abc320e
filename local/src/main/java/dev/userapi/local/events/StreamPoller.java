package dev.userapi.local.events;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.userapi.core.json.Json;
import dev.userapi.local.lambda.FunctionError;
import dev.userapi.local.lambda.LambdaFunction;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A DynamoDB stream event source mapping on DynamoDB Local's Streams API: reads every shard from its start (or after
 * the last record handled, kept in a file for a persistent stack), in order, and invokes the function with Lambda's
 * DynamoDB event ({@code batchSize} records at most). A batch whose invocation failed, or whose answer reports a
 * failed record ({@code ReportBatchItemFailures}), is read again from the first failed record after a pause, up to
 * {@code maxRetries} times — a batch the function failed on is split in two first when the mapping bisects — and
 * then sent to the on-failure destination, as AWS does ({@link #deliver}).
 */
public final class StreamPoller implements AutoCloseable {
    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final LambdaFunction function;
    private final int batchSize;
    private final int maxRetries;
    private final boolean bisect;
    private final Optional<LocalQueue> onFailure;
    private final String region;
    private final Optional<Path> checkpointFile;
    private final Map<String, String> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final List<String> closedShards = new ArrayList<>();
    private volatile boolean running;
    private Thread thread;

    public StreamPoller(URI endpoint, String region, String streamArn, LambdaFunction function, int batchSize, int maxRetries,
                        Optional<Path> checkpointFile) {
        this(endpoint, region, streamArn, function, batchSize, maxRetries, false, Optional.empty(), checkpointFile);
    }

    /** With the mapping's {@code BisectBatchOnFunctionError} and {@code DestinationConfig.OnFailure} (an SQS queue of the stack). */
    public StreamPoller(URI endpoint, String region, String streamArn, LambdaFunction function, int batchSize, int maxRetries,
                        boolean bisect, Optional<LocalQueue> onFailure, Optional<Path> checkpointFile) {
        this.bisect = bisect;
        this.onFailure = onFailure;
        this.streams = DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10)).build()).build();
        this.streamArn = streamArn;
        this.function = function;
        this.batchSize = batchSize;
        this.maxRetries = maxRetries;
        this.region = region;
        this.checkpointFile = checkpointFile;
        checkpointFile.filter(Files::exists).ifPresent(this::load);
    }

    public StreamPoller start() {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                try {
                    if (pollOnce() == 0) {
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (running) {
                        System.err.println("[local] stream poller: " + e);
                        sleep(500);
                    }
                }
            }
        }, "stream-" + function.id());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Reads each shard once; returns the records handed to the function. */
    int pollOnce() throws InterruptedException {
        refreshShards();
        int handled = 0;
        for (String shardId : new ArrayList<>(iterators.keySet())) {
            String iterator = iterators.get(shardId);
            GetRecordsResponse page;
            try {
                page = streams.getRecords(r -> r.shardIterator(iterator).limit(batchSize));
            } catch (TrimmedDataAccessException e) {
                iterators.remove(shardId);
                continue;
            }
            List<Record> records = page.records();
            if (!records.isEmpty()) {
                if (!deliver(shardId, records)) {
                    continue; // iterator was reset to the failed record
                }
                handled += records.size();
                checkpoints.put(shardId, records.get(records.size() - 1).dynamodb().sequenceNumber());
                save();
            }
            if (page.nextShardIterator() == null) {
                iterators.remove(shardId);
                closedShards.add(shardId);
            } else {
                iterators.put(shardId, page.nextShardIterator());
            }
        }
        return handled;
    }

    /**
     * Hands the records to the function as the event source mapping does: until each is handled, or has failed
     * {@code maxRetries} retries and is sent to the on-failure destination (then the shard moves on). A reported failure
     * ({@code ReportBatchItemFailures}) retries from the first failed record; a function error retries the whole batch,
     * split in two first when {@code bisect} ({@code BisectBatchOnFunctionError}), so that a record the function cannot
     * handle ends alone in the destination and the others of its batch are handled. Always true (kept for the caller).
     */
    boolean deliver(String shardId, List<Record> records) throws InterruptedException {
        handle(shardId, records, 0);
        return true;
    }

    private void handle(String shardId, List<Record> records, int retried) throws InterruptedException {
        List<Record> batch = records;
        int retries = retried;
        while (true) {
            String failedFrom = null;
            boolean functionError = false;
            try {
                byte[] answer = function.invoke(Json.write(Map.of("Records", batch.stream().map(this::lambdaRecord).toList()))
                        .getBytes(StandardCharsets.UTF_8));
                List<String> failed = QueueConsumer.failures(answer);
                if (!failed.isEmpty()) {
                    failedFrom = failed.stream().min(java.util.Comparator.comparing(java.math.BigInteger::new)).orElseThrow();
                }
            } catch (FunctionError e) {
                functionError = true;
                failedFrom = batch.get(0).dynamodb().sequenceNumber();
                System.err.println("[local] " + function.id() + " failed on a stream batch of " + batch.size() + ": " + e.getMessage());
            }
            if (failedFrom == null) {
                return;
            }
            String from = failedFrom;
            batch = batch.stream().filter(r -> new java.math.BigInteger(r.dynamodb().sequenceNumber()).compareTo(new java.math.BigInteger(from)) >= 0)
                    .toList();
            if (retries >= maxRetries) {
                sendToOnFailure(shardId, batch, retries + 1);
                return;
            }
            Thread.sleep(Math.min(2000, 100L << Math.min(retries, 4)));
            retries++;
            if (functionError && bisect && batch.size() > 1) {
                int half = batch.size() / 2;
                handle(shardId, batch.subList(0, half), retries);
                handle(shardId, batch.subList(half, batch.size()), retries);
                return;
            }
        }
    }

    /** The records that failed every retry: an invocation record to the on-failure destination (as AWS sends one), or a warning. */
    private void sendToOnFailure(String shardId, List<Record> batch, int invokeCount) {
        System.err.println("[local] " + function.id() + ": " + batch.size() + " stream record(s) failed after " + maxRetries + " retries"
                + (onFailure.isPresent() ? "; sent to " + onFailure.get().name() : "; skipped (no on-failure destination)"));
        if (onFailure.isEmpty()) {
            return;
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("shardId", shardId);
        info.put("startSequenceNumber", batch.get(0).dynamodb().sequenceNumber());
        info.put("endSequenceNumber", batch.get(batch.size() - 1).dynamodb().sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", String.valueOf(batch.get(0).dynamodb().approximateCreationDateTime()));
        info.put("approximateArrivalOfLastRecord", String.valueOf(batch.get(batch.size() - 1).dynamodb().approximateCreationDateTime()));
        info.put("batchSize", batch.size());
        info.put("streamArn", streamArn);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("requestContext", Map.of("requestId", java.util.UUID.randomUUID().toString(), "functionArn", function.arn(),
                "condition", "RetryAttemptsExhausted", "approximateInvokeCount", invokeCount));
        message.put("responseContext", Map.of("statusCode", 200, "executedVersion", "$LATEST", "functionError", "Unhandled"));
        message.put("version", "1.0");
        message.put("timestamp", java.time.Instant.now().toString());
        message.put("DDBStreamBatchInfo", info);
        onFailure.get().send(Json.write(message), Duration.ZERO);
    }

    private void refreshShards() {
        String start = null;
        do {
            String from = start;
            var description = streams.describeStream(r -> r.streamArn(streamArn).exclusiveStartShardId(from)).streamDescription();
            for (Shard shard : description.shards()) {
                String id = shard.shardId();
                if (iterators.containsKey(id) || closedShards.contains(id)) {
                    continue;
                }
                String after = checkpoints.get(id);
                String iterator = after == null
                        ? streams.getShardIterator(r -> r.streamArn(streamArn).shardId(id).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator()
                        : streams.getShardIterator(r -> r.streamArn(streamArn).shardId(id).shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                .sequenceNumber(after)).shardIterator();
                iterators.put(id, iterator);
            }
            start = description.lastEvaluatedShardId();
        } while (start != null);
    }

    /** One record as Lambda's DynamoDB event has it. */
    private Map<String, Object> lambdaRecord(Record record) {
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        var stream = record.dynamodb();
        if (stream.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", stream.approximateCreationDateTime().getEpochSecond());
        }
        dynamodb.put("Keys", image(stream.keys()));
        if (stream.hasNewImage()) {
            dynamodb.put("NewImage", image(stream.newImage()));
        }
        if (stream.hasOldImage()) {
            dynamodb.put("OldImage", image(stream.oldImage()));
        }
        dynamodb.put("SequenceNumber", stream.sequenceNumber());
        dynamodb.put("SizeBytes", stream.sizeBytes());
        dynamodb.put("StreamViewType", stream.streamViewTypeAsString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventID", record.eventID());
        out.put("eventName", record.eventNameAsString());
        out.put("eventVersion", record.eventVersion());
        out.put("eventSource", "aws:dynamodb");
        out.put("awsRegion", region);
        out.put("dynamodb", dynamodb);
        out.put("eventSourceARN", streamArn);
        if (record.userIdentity() != null) {
            out.put("userIdentity", Map.of("principalId", record.userIdentity().principalId(), "type", record.userIdentity().type()));
        }
        return out;
    }

    static Map<String, Object> image(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    static Map<String, Object> value(AttributeValue v) {
        if (v.s() != null) {
            return Map.of("S", v.s());
        }
        if (v.n() != null) {
            return Map.of("N", v.n());
        }
        if (v.bool() != null) {
            return Map.of("BOOL", v.bool());
        }
        if (Boolean.TRUE.equals(v.nul())) {
            return Map.of("NULL", true);
        }
        if (v.hasL()) {
            return Map.of("L", v.l().stream().map(StreamPoller::value).toList());
        }
        if (v.hasM()) {
            return Map.of("M", image(v.m()));
        }
        if (v.hasSs()) {
            return Map.of("SS", v.ss());
        }
        if (v.hasNs()) {
            return Map.of("NS", v.ns());
        }
        if (v.b() != null) {
            return Map.of("B", java.util.Base64.getEncoder().encodeToString(v.b().asByteArray()));
        }
        return Map.of("NULL", true);
    }

    private void save() {
        if (checkpointFile.isEmpty()) {
            return;
        }
        try {
            Path file = checkpointFile.get();
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.write(checkpoints), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("[local] cannot save the stream position: " + e.getMessage());
        }
    }

    private void load(Path file) {
        try {
            checkpoints.putAll(Json.mapper().readValue(Files.readString(file, StandardCharsets.UTF_8), new TypeReference<Map<String, String>>() { }));
        } catch (IOException | RuntimeException e) {
            System.err.println("[local] cannot read the stream position from " + file + ": " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the batch in progress is handed over and its position saved (interrupted after {@link QueueConsumer#STOP_WAIT}). */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(QueueConsumer.STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread.interrupt();
        }
        streams.close();
    }
}
