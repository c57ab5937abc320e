package dev.userapi.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.userapi.core.json.Json;
import dev.userapi.local.http.Exchanges;
import dev.userapi.local.http.LocalHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The local stand-in for the AWS JSON APIs the event and webhook functions call, on one port
 * ({@code EVENTS_ENDPOINT}, {@code SQS_ENDPOINT}, {@code KMS_ENDPOINT}): by {@code X-Amz-Target},
 * {@code AWSEvents.PutEvents} (the local buses), {@code AmazonSQS.SendMessage} (the local queues, by
 * {@code QueueUrl}) and {@code TrentService.Encrypt}/{@code Decrypt} (the local key). The functions' SDK clients
 * talk to it unchanged. Errors answer as those services do: 400 with {@code __type} and {@code message}. No signature
 * check (the credentials are dummies locally).
 */
public final class AwsJsonEndpoint implements AutoCloseable {
    private static final int MAX_BODY = 512 * 1024;

    private final LocalHttpServer server;
    private final Function<String, Optional<LocalEventBus>> buses;
    private final Function<String, Optional<LocalQueue>> queues;
    private final Function<String, Optional<LocalKms>> keys;

    public AwsJsonEndpoint(Function<String, Optional<LocalEventBus>> buses, Function<String, Optional<LocalQueue>> queues,
                           Function<String, Optional<LocalKms>> keys) {
        this.buses = buses;
        this.queues = queues;
        this.keys = keys;
        this.server = LocalHttpServer.start("the local EventBridge/SQS/KMS endpoint", InetAddress.getLoopbackAddress(), 0, 4,
                this::handle, "let it pick a free port");
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
            byte[] raw = Exchanges.readBody(exchange, MAX_BODY);
            JsonNode request;
            try {
                request = raw == null ? null : Json.readTree(new String(raw, StandardCharsets.UTF_8));
            } catch (IOException e) {
                request = null;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || request == null || !request.isObject()) {
                error(exchange, "SerializationException", "A POST with a JSON object body is expected.");
                return;
            }
            Object answer;
            switch (target) {
                case "AWSEvents.PutEvents" -> answer = putEvents(request);
                case "AmazonSQS.SendMessage" -> answer = sendMessage(request);
                case "TrentService.Encrypt" -> answer = encrypt(request);
                case "TrentService.Decrypt" -> answer = decrypt(request);
                default -> answer = new Failure("UnknownOperationException", "The local endpoint does not serve " + target);
            }
            if (answer instanceof Failure failure) {
                error(exchange, failure.type(), failure.message());
            } else {
                Exchanges.send(exchange, 200, Map.of("Content-Type", List.of("application/x-amz-json-1.1")),
                        Json.write(answer).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private record Failure(String type, String message) {
    }

    private Object putEvents(JsonNode request) {
        List<Map<String, Object>> entries = new ArrayList<>();
        int failed = 0;
        for (JsonNode entry : request.path("Entries")) {
            Optional<LocalEventBus> bus = buses.apply(entry.path("EventBusName").asText("default"));
            if (bus.isEmpty() || !entry.path("Source").isTextual() || !entry.path("DetailType").isTextual() || !entry.path("Detail").isTextual()) {
                failed++;
                entries.add(Map.of("ErrorCode", "InvalidArgument", "ErrorMessage", "unknown bus or missing field"));
                continue;
            }
            Instant time = entry.path("Time").isNumber() ? Instant.ofEpochMilli((long) (entry.path("Time").asDouble() * 1000)) : Instant.now();
            try {
                entries.add(Map.of("EventId", bus.get().put(entry.get("Source").asText(), entry.get("DetailType").asText(),
                        entry.get("Detail").asText(), time)));
            } catch (IllegalArgumentException e) {
                failed++;
                entries.add(Map.of("ErrorCode", "MalformedDetail", "ErrorMessage", "Detail is malformed."));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("FailedEntryCount", failed);
        out.put("Entries", entries);
        return out;
    }

    private Object sendMessage(JsonNode request) {
        Optional<LocalQueue> queue = queues.apply(request.path("QueueUrl").asText(""));
        if (queue.isEmpty()) {
            return new Failure("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
        }
        String body = request.path("MessageBody").asText("");
        int delay = request.path("DelaySeconds").asInt(0);
        if (body.isEmpty() || delay < 0 || delay > 900) {
            return new Failure("InvalidParameterValue", "MessageBody is required and DelaySeconds is 0 to 900.");
        }
        String id = queue.get().send(body, Duration.ofSeconds(delay));
        return Map.of("MessageId", id, "MD5OfMessageBody", md5(body));
    }

    private Object encrypt(JsonNode request) {
        Optional<LocalKms> key = keys.apply(request.path("KeyId").asText(""));
        if (key.isEmpty()) {
            return new Failure("NotFoundException", "Key not found.");
        }
        byte[] plaintext = Base64.getDecoder().decode(request.path("Plaintext").asText(""));
        byte[] blob = key.get().encrypt(plaintext, context(request));
        return Map.of("CiphertextBlob", Base64.getEncoder().encodeToString(blob), "KeyId", key.get().keyArn(),
                "EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    }

    private Object decrypt(JsonNode request) {
        Optional<LocalKms> key = keys.apply(request.path("KeyId").asText(""));
        if (key.isEmpty()) {
            return new Failure("NotFoundException", "Key not found.");
        }
        try {
            byte[] plaintext = key.get().decrypt(Base64.getDecoder().decode(request.path("CiphertextBlob").asText("")), context(request));
            return Map.of("Plaintext", Base64.getEncoder().encodeToString(plaintext), "KeyId", key.get().keyArn(),
                    "EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        } catch (LocalKms.InvalidCiphertext | IllegalArgumentException e) {
            return new Failure("InvalidCiphertextException", "The ciphertext is invalid.");
        }
    }

    private static Map<String, String> context(JsonNode request) {
        Map<String, String> context = new LinkedHashMap<>();
        request.path("EncryptionContext").fields().forEachRemaining(f -> context.put(f.getKey(), f.getValue().asText()));
        return context;
    }

    static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        Exchanges.send(exchange, 400, Map.of("Content-Type", List.of("application/x-amz-json-1.1"), "x-amzn-ErrorType", List.of(type)),
                Json.write(Map.of("__type", type, "message", message)).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
    }
}
