package dev.userapi.tokens;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JWKS endpoint inside the test: serves {@code /<pool>/.well-known/jwks.json} on 127.0.0.1 and can be
 * told to answer with keys, garbage, an error status, a huge body, or to hang.
 */
public final class JwksServer implements AutoCloseable {
    public static final String POOL = "eu-west-1_TestPool";

    enum Mode { KEYS, HANG, RAW, DRIP }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jwks-server");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> paths = new ArrayList<>();
    private volatile Mode mode = Mode.KEYS;
    private volatile String jwks = "{\"keys\":[]}";
    private volatile int status = 200;
    private volatile byte[] raw = new byte[0];

    public JwksServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static JwksServer withKeys(Object... kidAndKeyPairs) throws IOException {
        JwksServer s = new JwksServer();
        s.serveKeys(kidAndKeyPairs);
        return s;
    }

    /** Serves a JWKS made of (kid, KeyPair) pairs. */
    public JwksServer serveKeys(Object... kidAndKeyPairs) {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (int i = 0; i < kidAndKeyPairs.length; i += 2) {
            keys.add(TestKeys.jwk((KeyPair) kidAndKeyPairs[i + 1], (String) kidAndKeyPairs[i]));
        }
        return serveJwks(Tokens.json(Map.of("keys", keys)));
    }

    public JwksServer serveJwks(String document) {
        this.jwks = document;
        this.status = 200;
        this.mode = Mode.KEYS;
        return this;
    }

    public JwksServer serveRaw(int status, byte[] body) {
        this.status = status;
        this.raw = body;
        this.mode = Mode.RAW;
        return this;
    }

    public JwksServer hang() {
        this.mode = Mode.HANG;
        return this;
    }

    /** Sends a valid JWKS one byte every {@code 200 ms}. */
    public JwksServer drip() {
        this.mode = Mode.DRIP;
        return this;
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The issuer of the pool this server stands in for (cognito-local style). */
    public String issuer() {
        return base() + "/" + POOL;
    }

    public URI jwksUrl() {
        return URI.create(issuer() + "/.well-known/jwks.json");
    }

    public int requests() {
        return requests.get();
    }

    public synchronized List<String> paths() {
        return List.copyOf(paths);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        synchronized (this) {
            paths.add(exchange.getRequestURI().toString());
        }
        try (exchange) {
            switch (mode) {
                case HANG -> {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                case RAW -> send(exchange, status, raw);
                case DRIP -> {
                    byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    OutputStream out = exchange.getResponseBody();
                    for (byte b : body) {
                        out.write(b);
                        out.flush();
                        if (release.await(200, TimeUnit.MILLISECONDS)) {
                            return;
                        }
                    }
                }
                default -> send(exchange, status, jwks.getBytes(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (timeout): expected in those tests
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
