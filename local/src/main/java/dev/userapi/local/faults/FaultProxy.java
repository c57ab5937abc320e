package dev.userapi.local.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * <b>Local stack only, for fault-injection tests.</b> A TCP proxy on a loopback port in front of one
 * dependency (DynamoDB Local, the Cognito layer, cognito-local's JWKS) that can be told to misbehave
 * the way a real endpoint does: refuse connections (the service is stopped), reset them, accept and
 * never answer (a hung service), answer slowly, or answer every HTTP request with a fixed response
 * (a 500, a throttling error, a garbage or huge body). Production code never knows: it only sees
 * the endpoint it was configured with ({@code DYNAMODB_ENDPOINT}, {@code COGNITO_ENDPOINT},
 * {@code JWKS_URL}), which the stack points here when {@link dev.userapi.local.StackOptions#faultInjection()}
 * is on.
 *
 * <p>Every change of behaviour drops the connections that are open, so pooled keep-alive
 * connections cannot bypass a fault. {@link #connections()} counts accepted connections, so a test
 * can prove that a request really reached (or never reached) the dependency.
 */
public final class FaultProxy implements AutoCloseable {
    /** How the proxy treats connections now. */
    public enum Mode {
        /** Forward bytes both ways (after {@link #delayMillis()}, if set). */
        PASS,
        /** Nothing listens on the port: connections are refused, as when the service is stopped. */
        REFUSE,
        /** Accept, then close at once (connection reset / unexpected end of stream). */
        RESET,
        /** Accept and read, never answer: a hung service; clients must time out. */
        HANG,
        /** Answer every HTTP request with {@link #answer}, then close. */
        ANSWER
    }

    /** A canned HTTP answer for {@link Mode#ANSWER}. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public Answer {
            headers = Map.copyOf(headers);
            body = body.clone();
        }

        /** An AWS JSON-protocol error ({@code __type} and {@code message}), as DynamoDB and Cognito send them. */
        public static Answer awsError(int status, String type, String message) {
            String json = "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}";
            return new Answer(status, Map.of("Content-Type", "application/x-amz-json-1.1", "x-amzn-ErrorType", type),
                    json.getBytes(StandardCharsets.UTF_8));
        }

        public static Answer of(int status, String contentType, byte[] body) {
            return new Answer(status, Map.of("Content-Type", contentType), body);
        }
    }

    private final String name;
    private final InetSocketAddress upstream;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final int port;

    private volatile Mode mode = Mode.PASS;
    private volatile Answer answer;
    private volatile long delayMillis;
    private ServerSocket listener;
    private boolean closed;

    private FaultProxy(String name, InetSocketAddress upstream, int port) {
        this.name = name;
        this.upstream = upstream;
        this.port = port;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fault-proxy-" + name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts a proxy on a free loopback port, forwarding to {@code upstream}'s host and port. */
    public static FaultProxy start(String name, URI upstream) {
        InetSocketAddress target = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        ServerSocket socket = bind(0);
        FaultProxy proxy = new FaultProxy(name, target, socket.getLocalPort());
        synchronized (proxy) {
            proxy.listen(socket);
        }
        return proxy;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}: what the functions are configured with instead of the dependency. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Mode mode() {
        return mode;
    }

    public long delayMillis() {
        return delayMillis;
    }

    /** How many connections the proxy has accepted since it started. */
    public long connections() {
        return accepted.get();
    }

    /** Back to normal: forward everything at once. */
    public synchronized void pass() {
        change(Mode.PASS, null, 0);
    }

    /** Forward everything, but only after {@code millis} (a slow dependency). */
    public synchronized void delay(long millis) {
        change(Mode.PASS, null, millis);
    }

    /** Stop listening: connections are refused, exactly as when the dependency is stopped. */
    public synchronized void refuse() {
        change(Mode.REFUSE, null, 0);
    }

    /** Accept connections and close them at once. */
    public synchronized void reset() {
        change(Mode.RESET, null, 0);
    }

    /** Accept connections and never answer. */
    public synchronized void hang() {
        change(Mode.HANG, null, 0);
    }

    /** Answer every request with {@code answer}. */
    public synchronized void answer(Answer answer) {
        change(Mode.ANSWER, Objects.requireNonNull(answer, "answer"), 0);
    }

    private void change(Mode next, Answer nextAnswer, long nextDelay) {
        if (closed) {
            throw new IllegalStateException(name + " proxy is closed");
        }
        this.answer = nextAnswer;
        this.delayMillis = nextDelay;
        this.mode = next;
        dropConnections();
        if (next == Mode.REFUSE) {
            closeListener();
        } else if (listener == null) {
            listen(bind(port));
        }
        System.err.printf("[faults] %s: %s%s%n", name, next.name().toLowerCase(Locale.ROOT),
                nextDelay > 0 ? " after " + nextDelay + " ms" : nextAnswer != null ? " " + nextAnswer.status() : "");
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        threads.execute(() -> acceptLoop(socket));
    }

    private static ServerSocket bind(int port) {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
                return socket;
            } catch (IOException e) {
                last = e;
                sleep(20);
            }
        }
        throw new IllegalStateException("cannot listen on port " + port + ": " + last.getMessage(), last);
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // closed: refusing, or shut down
            }
            accepted.incrementAndGet();
            open.add(client);
            Mode now = mode;
            Answer canned = answer;
            long delay = delayMillis;
            threads.execute(() -> serve(client, now, canned, delay));
        }
    }

    private void serve(Socket client, Mode now, Answer canned, long delay) {
        try {
            switch (now) {
                case RESET -> client.setSoLinger(true, 0);
                case HANG -> drain(client.getInputStream());
                case ANSWER -> answerEach(client, canned);
                case PASS -> {
                    if (delay > 0) {
                        sleep(delay);
                    }
                    forward(client);
                }
                case REFUSE -> {
                    // a connection accepted just before the listener closed: refuse it too
                }
            }
        } catch (IOException e) {
            // the client or the upstream went away; nothing to report
        } finally {
            if (now != Mode.PASS) {
                closeQuietly(client);
            }
        }
    }

    private void forward(Socket client) throws IOException {
        Socket server = new Socket();
        open.add(server);
        try {
            server.connect(upstream, 2000);
        } catch (IOException e) {
            closeQuietly(server);
            closeQuietly(client);
            throw e;
        }
        threads.execute(() -> pump(server, client));
        pump(client, server);
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Reads each HTTP/1.1 request (headers and a Content-Length body) and answers it; closes after the first. */
    private static void answerEach(Socket client, Answer canned) throws IOException {
        InputStream in = client.getInputStream();
        String head = readHead(in);
        if (head == null) {
            return;
        }
        long length = 0;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        in.skipNBytes(length);
        StringBuilder response = new StringBuilder("HTTP/1.1 ").append(canned.status()).append(' ')
                .append(reason(canned.status())).append("\r\n");
        canned.headers().forEach((k, v) -> response.append(k).append(": ").append(v).append("\r\n"));
        response.append("Content-Length: ").append(canned.body().length).append("\r\n");
        response.append("Connection: close\r\n\r\n");
        OutputStream out = client.getOutputStream();
        out.write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(canned.body());
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        for (int b; (b = in.read()) != -1; ) {
            head.write(b);
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (head.size() > 64 * 1024) {
                return null;
            }
        }
        return null;
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        while (in.read(buffer) != -1) {
            // read and ignore until the client gives up
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private void dropConnections() {
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    private void closeListener() {
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException e) {
                // closing anyway
            }
            listener = null;
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeListener();
        dropConnections();
        threads.shutdownNow();
        try {
            threads.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + name + " :" + port + " -> " + upstream + ", " + mode + "]";
    }
}
