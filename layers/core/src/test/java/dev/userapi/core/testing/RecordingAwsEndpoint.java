package dev.userapi.core.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in AWS JSON-protocol endpoint (DynamoDB, Cognito) on a loopback port, for tests of the real
 * wiring (the handlers' no-arg constructors, SnapStart priming): it answers every call with {@code 200 {}}
 * (an empty result: no item, no groups) and records each call's operation from {@code X-Amz-Target}.
 */
public final class RecordingAwsEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "recording-aws-endpoint");
        t.setDaemon(true);
        return t;
    });
    private final List<String> operations = new CopyOnWriteArrayList<>();

    public RecordingAwsEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            operations.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target")));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}, for {@code DYNAMODB_ENDPOINT} or {@code COGNITO_ENDPOINT}. */
    /**
     * A route function's environment against two recording endpoints (DynamoDB, Cognito), as the template gives it:
     * what the priming tests build handlers with through their public environment constructors (a mutable copy).
     */
    public static java.util.Map<String, String> functionEnv(RecordingAwsEndpoint dynamoDb, RecordingAwsEndpoint cognito) {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("TABLE_NAME", "users");
        env.put("ROLES", "user,admin");
        env.put("USER_POOL_ID", "us-east-1_Priming1");
        env.put("USER_POOL_CLIENT_ID", "primingclient");
        env.put("DYNAMODB_ENDPOINT", dynamoDb.url());
        env.put("COGNITO_ENDPOINT", cognito.url());
        return env;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The {@code X-Amz-Target} of every call so far, e.g. {@code DynamoDB_20120810.GetItem}. */
    public List<String> operations() {
        return List.copyOf(operations);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
