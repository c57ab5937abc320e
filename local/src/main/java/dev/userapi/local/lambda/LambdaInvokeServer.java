package dev.userapi.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import dev.userapi.core.json.Json;
import dev.userapi.local.http.Exchanges;
import dev.userapi.local.http.LocalHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's {@code Invoke} API ({@code POST /2015-03-31/functions/{name}/invocations}) on its own
 * port, so cognito-local calls our trigger functions in-process exactly as Cognito calls Lambda.
 * A function error answers 200 with {@code X-Amz-Function-Error: Unhandled} and Lambda's error
 * document, as the real API does; an unknown function answers 404 {@code ResourceNotFoundException}.
 */
public final class LambdaInvokeServer implements AutoCloseable {
    private static final Pattern INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations/?$");
    private static final int MAX_PAYLOAD = 6 * 1024 * 1024;

    private final LambdaFunctions functions;
    private final Map<String, PayloadAdapter> adapters = new ConcurrentHashMap<>();
    private final LocalHttpServer server;

    public LambdaInvokeServer(LambdaFunctions functions, int port) {
        this.functions = functions;
        this.server = LocalHttpServer.start("the Lambda Invoke API", InetAddress.getLoopbackAddress(), port, 16, this::handle,
                "pass --lambda-port <free port>");
    }

    public int port() {
        return server.port();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** Translates the payloads of one function's invocations (see {@link PayloadAdapter}). */
    public void adapt(String functionId, PayloadAdapter adapter) {
        adapters.put(functionId, adapter);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher matcher = INVOKE.matcher(exchange.getRequestURI().getRawPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !matcher.matches()) {
                error(exchange, 404, "UnknownOperationException", "Unknown operation " + exchange.getRequestURI().getPath());
                return;
            }
            String name = Exchanges.decode(matcher.group(1));
            Optional<LambdaFunction> function = functions.find(name);
            if (function.isEmpty()) {
                error(exchange, 404, "ResourceNotFoundException", "Function not found: " + functions.arnOf(name));
                return;
            }
            byte[] payload = Exchanges.readBody(exchange, MAX_PAYLOAD);
            if (payload == null) {
                error(exchange, 413, "RequestTooLargeException", "Request must be smaller than " + MAX_PAYLOAD + " bytes");
                return;
            }
            String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type")).orElse("RequestResponse");
            if (type.equals("DryRun")) {
                Exchanges.send(exchange, 204, Map.of(), null);
                return;
            }
            invoke(exchange, function.get(), payload, type.equals("Event"));
        }
    }

    private void invoke(HttpExchange exchange, LambdaFunction function, byte[] payload, boolean async) throws IOException {
        PayloadAdapter adapter = adapters.get(function.id());
        byte[] request = adapter == null ? payload : adapter.request(payload);
        if (async) {
            Thread thread = new Thread(() -> {
                try {
                    function.invoke(request);
                } catch (FunctionError e) {
                    System.err.printf("[lambda] %s failed (async): %s%n", function.id(), e.getMessage());
                }
            }, "lambda-async-" + function.id());
            thread.setDaemon(true);
            thread.start();
            Exchanges.send(exchange, 202, Map.of(), null);
            return;
        }
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("X-Amz-Executed-Version", List.of("$LATEST"));
        byte[] body;
        long started = System.nanoTime();
        try {
            byte[] response = function.invoke(request);
            body = adapter == null ? response : adapter.response(response);
            System.err.printf("[lambda] invoked %s%s (%d ms)%n", function.id(), source(payload), (System.nanoTime() - started) / 1_000_000);
        } catch (FunctionError e) {
            System.err.printf("[lambda] invoking %s%s failed: %s: %s%n", function.id(), source(payload), e.errorType(), e.getMessage());
            headers.put("X-Amz-Function-Error", List.of("Unhandled"));
            body = e.payload();
        }
        Exchanges.send(exchange, 200, headers, body);
    }

    /** What caused an invocation, for the log: a Cognito trigger names its source. */
    private static String source(byte[] payload) {
        try {
            String trigger = Json.mapper().readTree(payload).path("triggerSource").asText("");
            return trigger.isEmpty() ? "" : " for " + trigger;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        var body = Json.mapper().createObjectNode().put("Type", "User").put("Message", message);
        Exchanges.send(exchange, status, Map.of("Content-Type", List.of("application/json"), "X-Amzn-ErrorType", List.of(type)),
                Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
    }
}
