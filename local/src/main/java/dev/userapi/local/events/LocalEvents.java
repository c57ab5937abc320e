package dev.userapi.local.events;

import dev.userapi.local.lambda.LambdaFunction;
import dev.userapi.local.template.LocalResources;
import dev.userapi.local.template.SamTemplate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The template's event plumbing, locally (issue 20, docs/LOCAL.md): its SQS queues ({@link LocalQueue}, with their
 * visibility timeouts and redrive policies), EventBridge buses and rules ({@link LocalEventBus}), KMS keys
 * ({@link LocalKms}) behind one AWS JSON endpoint ({@link AwsJsonEndpoint}), and the functions' event sources: a
 * {@link QueueConsumer} per {@code Type: SQS} event and a {@link StreamPoller} per {@code Type: DynamoDB} event. The
 * functions are the template's, unchanged; they only see other endpoints ({@link #environment()}).
 *
 * <p>{@link #create} runs before the functions' environments are evaluated (it gives the resources their local
 * names); {@link #connect} once the functions exist.
 */
public final class LocalEvents implements AutoCloseable {
    private static final String QUEUE = "AWS::SQS::Queue";
    private static final String BUS = "AWS::Events::EventBus";
    private static final String RULE = "AWS::Events::Rule";
    private static final String KEY = "AWS::KMS::Key";

    private final SamTemplate template;
    private final String region;
    private final Optional<Path> dataDir;
    private final Map<String, LocalQueue> queuesById = new LinkedHashMap<>();
    private final Map<String, LocalQueue> queuesByRef = new LinkedHashMap<>();
    private final Map<String, LocalEventBus> buses = new LinkedHashMap<>();
    private final Map<String, LocalKms> keys = new LinkedHashMap<>();
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final AwsJsonEndpoint endpoint;

    private LocalEvents(SamTemplate template, String region, Optional<Path> dataDir) {
        this.template = template;
        this.region = region;
        this.dataDir = dataDir;
        this.endpoint = new AwsJsonEndpoint(name -> Optional.ofNullable(buses.get(name)), url -> Optional.ofNullable(queuesByRef.get(url)),
                id -> Optional.ofNullable(keys.get(id)));
    }

    @SuppressWarnings("unchecked")
    public static LocalEvents create(SamTemplate template, LocalResources physical, String region, String account, String stackName,
                                     Clock clock, Optional<Path> dataDir) {
        LocalEvents events = new LocalEvents(template, region, dataDir);
        String base = events.endpoint.endpoint().toString();
        for (String id : template.logicalIdsOfType(QUEUE)) {
            String name = stackName + "-" + id;
            physical.put(id, base + "/" + account + "/" + name).putAttribute(id, "Arn", "arn:aws:sqs:" + region + ":" + account + ":" + name)
                    .putAttribute(id, "QueueName", name).putAttribute(id, "QueueUrl", base + "/" + account + "/" + name);
        }
        for (String id : template.logicalIdsOfType(KEY)) {
            String keyId = "local-" + id;
            String arn = "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
            physical.put(id, keyId).putAttribute(id, "Arn", arn).putAttribute(id, "KeyId", keyId);
            LocalKms kms = new LocalKms(arn, dataDir.map(d -> d.resolve("kms").resolve(id + ".key")));
            events.keys.put(keyId, kms);
            events.keys.put(arn, kms);
        }
        for (String id : template.logicalIdsOfType(RULE)) {
            physical.put(id, stackName + "-" + id).putAttribute(id, "Arn", "arn:aws:events:" + region + ":" + account + ":rule/" + stackName + "-" + id);
        }
        for (String id : template.logicalIdsOfType(BUS)) {
            String name = String.valueOf(template.properties(id, Set.of("Name")).getOrDefault("Name", stackName + "-" + id));
            String arn = "arn:aws:events:" + region + ":" + account + ":event-bus/" + name;
            physical.put(id, name).putAttribute(id, "Arn", arn).putAttribute(id, "Name", name);
            LocalEventBus bus = new LocalEventBus(name, region, account);
            events.buses.put(name, bus);
            events.buses.put(arn, bus);
        }
        for (String id : template.logicalIdsOfType(QUEUE)) {
            Map<String, Object> p = template.properties(id);
            int visibility = Integer.parseInt(String.valueOf(p.getOrDefault("VisibilityTimeout", 30)));
            String url = physical.ref(id).orElseThrow();
            LocalQueue queue = new LocalQueue(id, physical.getAtt(id, "Arn").orElseThrow(), url, Duration.ofSeconds(visibility), clock,
                    dataDir.map(d -> d.resolve("queues").resolve(id + ".json")));
            events.queuesById.put(id, queue);
            events.queuesByRef.put(url, queue);
            events.queuesByRef.put(queue.arn(), queue);
        }
        for (String id : template.logicalIdsOfType(QUEUE)) {
            if (template.properties(id).get("RedrivePolicy") instanceof Map<?, ?> redrive) {
                LocalQueue target = events.queuesByRef.get(String.valueOf(redrive.get("deadLetterTargetArn")));
                if (target != null) {
                    events.queuesById.get(id).redrive(target, Integer.parseInt(String.valueOf(((Map<String, Object>) redrive).getOrDefault("maxReceiveCount", 10))));
                }
            }
        }
        for (String id : template.logicalIdsOfType(RULE)) {
            Map<String, Object> p = template.properties(id);
            LocalEventBus bus = events.buses.get(String.valueOf(p.getOrDefault("EventBusName", "default")));
            if (bus == null) {
                continue;
            }
            List<LocalQueue> targets = new ArrayList<>();
            for (Object raw : (List<Object>) p.getOrDefault("Targets", List.of())) {
                LocalQueue queue = events.queuesByRef.get(String.valueOf(((Map<String, Object>) raw).get("Arn")));
                if (queue != null) {
                    targets.add(queue);
                }
            }
            bus.addRule(new LocalEventBus.Rule(id, (Map<String, Object>) p.getOrDefault("EventPattern", Map.of()), targets));
        }
        return events;
    }

    /**
     * Gives the template's queues, buses, rules, keys and table streams local names without starting anything: for
     * callers that only evaluate the template (its functions' environments name them).
     */
    public static void nameResources(SamTemplate template, LocalResources physical, String region, String account) {
        for (String type : List.of(QUEUE, BUS, RULE, KEY)) {
            for (String id : template.logicalIdsOfType(type)) {
                physical.put(id, id).putAttribute(id, "Arn", "arn:aws:local:" + region + ":" + account + ":" + id);
            }
        }
        for (String id : template.logicalIdsOfType("AWS::DynamoDB::Table")) {
            physical.putAttribute(id, "StreamArn", "arn:aws:dynamodb:" + region + ":" + account + ":table/" + id + "/stream/local");
        }
    }

    /** What every function gets so its SDK clients reach the local services: the one local endpoint for all three APIs. */
    public Map<String, String> environment() {
        String url = endpoint.endpoint().toString();
        return Map.of("EVENTS_ENDPOINT", url, "SQS_ENDPOINT", url, "KMS_ENDPOINT", url);
    }

    /** Starts the functions' event sources: the queue consumers and the stream pollers. */
    @SuppressWarnings("unchecked")
    public void connect(Collection<LambdaFunction> functions, URI dynamoDbEndpoint) {
        for (LambdaFunction function : functions) {
            Map<String, Object> sources = (Map<String, Object>) template.properties(function.id(), Set.of("Events")).getOrDefault("Events", Map.of());
            for (Object raw : sources.values()) {
                Map<String, Object> source = (Map<String, Object>) raw;
                Map<String, Object> p = (Map<String, Object>) source.getOrDefault("Properties", Map.of());
                if ("SQS".equals(source.get("Type"))) {
                    LocalQueue queue = queuesByRef.get(String.valueOf(p.get("Queue")));
                    if (queue != null) {
                        running.push(new QueueConsumer(queue, function, number(p, "BatchSize", 10), region).start());
                    }
                } else if ("DynamoDB".equals(source.get("Type"))) {
                    String streamArn = String.valueOf(p.get("Stream"));
                    Optional<LocalQueue> onFailure = Optional.empty();
                    if (p.get("DestinationConfig") instanceof Map<?, ?> destinations && destinations.get("OnFailure") instanceof Map<?, ?> target) {
                        onFailure = Optional.ofNullable(queuesByRef.get(String.valueOf(target.get("Destination"))));
                    }
                    running.push(new StreamPoller(dynamoDbEndpoint, region, streamArn, function, number(p, "BatchSize", 100),
                            number(p, "MaximumRetryAttempts", 10), Boolean.parseBoolean(String.valueOf(p.get("BisectBatchOnFunctionError"))),
                            onFailure, dataDir.map(d -> d.resolve("streams").resolve(function.id() + ".json"))).start());
                }
            }
        }
    }

    /** A queue by logical ID (tests, the banner). */
    public Optional<LocalQueue> queue(String logicalId) {
        return Optional.ofNullable(queuesById.get(logicalId));
    }

    private static int number(Map<String, Object> p, String key, int fallback) {
        Object value = p.get(key);
        return value == null ? fallback : Integer.parseInt(String.valueOf(value));
    }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("[local] stopping an event source failed: " + e.getMessage());
            }
        }
        endpoint.close();
    }
}
