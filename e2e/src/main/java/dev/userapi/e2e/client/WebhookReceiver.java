package dev.userapi.e2e.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver for the suite, on 127.0.0.1 (a free port): records every delivery (headers and body) and answers
 * what its {@code answer} function says for the delivery's {@code webhook-id} and how many times that id came. Verifies
 * deliveries the way docs/EVENTS.md tells receivers to (Standard Webhooks).
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request received. */
    public record Delivery(String webhookId, String timestamp, String signature, String body, JsonNode event) {
    }

    private final HttpServer server;
    private final List<Delivery> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private volatile Function<Integer, Integer> answer = n -> 204;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
                String id = String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id"));
                JsonNode event;
                try {
                    event = JSON.readTree(body);
                } catch (IOException e) {
                    event = JSON.nullNode();
                }
                received.add(new Delivery(id, exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"), body, event));
                int n = counts.merge(id, 1, Integer::sum);
                exchange.sendResponseHeaders(answer.apply(n), -1);
            }
        });
        server.start();
    }

    /** What to answer the n-th request (1-based) of one webhook-id. */
    public WebhookReceiver answering(Function<Integer, Integer> answer) {
        this.answer = answer;
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Delivery> received() {
        return new ArrayList<>(received);
    }

    /** The deliveries of events about one user ({@code data.userId}). */
    public List<Delivery> about(String userId) {
        return received.stream().filter(d -> userId.equals(d.event().path("data").path("userId").asText())).toList();
    }

    /** Standard Webhooks verification: the v1 signature over "{id}.{timestamp}.{body}" with the secret's bytes, a recent timestamp. */
    public static boolean verify(Delivery d, String secret) {
        try {
            long timestamp = Long.parseLong(d.timestamp());
            if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
                return false;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] expected = mac.doFinal((d.webhookId() + "." + d.timestamp() + "." + d.body()).getBytes(StandardCharsets.UTF_8));
            for (String candidate : d.signature().split(" ")) {
                if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Polls {@code condition} until it holds or {@code within} passes; false then. */
    public static boolean await(BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
