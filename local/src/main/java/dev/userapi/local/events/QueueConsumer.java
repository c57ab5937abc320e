package dev.userapi.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import dev.userapi.local.lambda.FunctionError;
import dev.userapi.local.lambda.LambdaFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An SQS event source mapping: receives up to {@code batchSize} visible messages, invokes the function with Lambda's
 * SQS event, deletes the messages it handled and leaves the ones it reported ({@code ReportBatchItemFailures}, or all
 * of them when the invocation failed) to come back after the visibility timeout. {@link #pump} is one round (tests
 * call it with their own clock); {@link #start} runs rounds on a thread.
 */
public final class QueueConsumer implements AutoCloseable {
    /** How long {@link #close} lets a round in progress finish: more than a webhook attempt's 10 s. */
    static final Duration STOP_WAIT = Duration.ofSeconds(15);
    private final LocalQueue queue;
    private final LambdaFunction function;
    private final int batchSize;
    private final String region;
    private volatile boolean running;
    private Thread thread;

    public QueueConsumer(LocalQueue queue, LambdaFunction function, int batchSize, String region) {
        this.queue = queue;
        this.function = function;
        this.batchSize = batchSize;
        this.region = region;
    }

    public QueueConsumer start() {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                try {
                    if (pump() == 0) {
                        queue.awaitWork(Duration.ofMillis(200));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    System.err.println("[local] " + function.id() + " consumer: " + e);
                }
            }
        }, "sqs-" + queue.name());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** One round; returns how many messages it handed to the function. */
    public int pump() {
        List<LocalQueue.Message> batch = queue.receive(batchSize);
        if (batch.isEmpty()) {
            return 0;
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (LocalQueue.Message m : batch) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("messageId", m.id());
            record.put("receiptHandle", m.id());
            record.put("body", m.body());
            record.put("attributes", Map.of("ApproximateReceiveCount", String.valueOf(m.receiveCount()),
                    "SentTimestamp", String.valueOf(m.sentAt()), "SenderId", "local", "ApproximateFirstReceiveTimestamp", String.valueOf(m.sentAt())));
            record.put("messageAttributes", Map.of());
            record.put("md5OfBody", AwsJsonEndpoint.md5(m.body()));
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queue.arn());
            record.put("awsRegion", region);
            records.add(record);
        }
        Set<String> failed = new HashSet<>();
        try {
            byte[] answer = function.invoke(Json.write(Map.of("Records", records)).getBytes(StandardCharsets.UTF_8));
            failed.addAll(failures(answer));
        } catch (FunctionError e) {
            System.err.println("[local] " + function.id() + " failed on " + batch.size() + " message(s): " + e.getMessage());
            batch.forEach(m -> failed.add(m.id()));
        }
        batch.stream().filter(m -> !failed.contains(m.id())).forEach(m -> queue.delete(m.id()));
        return batch.size();
    }

    /** The item identifiers of {@code {"batchItemFailures":[{"itemIdentifier":...}]}}. */
    static List<String> failures(byte[] answer) {
        List<String> ids = new ArrayList<>();
        try {
            JsonNode node = Json.readTree(new String(answer, StandardCharsets.UTF_8));
            if (node != null) {
                for (JsonNode f : node.path("batchItemFailures")) {
                    ids.add(f.path("itemIdentifier").asText());
                }
            }
        } catch (IOException e) {
            // no answer: nothing reported
        }
        return ids;
    }

    /**
     * Stops after the round in progress: a batch being handled is finished (its messages deleted or left to come back),
     * so a stack stopped on purpose leaves no message hidden for a visibility timeout (360 s for the delivery queue)
     * that no one is handling. Interrupted only if the round outlasts {@link #STOP_WAIT}.
     */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread.interrupt();
        }
    }
}
