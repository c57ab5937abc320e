package dev.userapi.local.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thin HTTP/1.1 front in front of a JDK {@code HttpServer}, so that the server's handler sees every
 * request as the client sent it. The JDK's server answers some requests itself, with HTML pages,
 * before any handler runs: a request target it cannot parse as a URI ({@code /users/%zz}: 400
 * "URISyntaxException thrown") and one whose path it reads as an authority ({@code //users}: 404 "No
 * context found"). API Gateway never answers with those pages, so the local gateway must decide.
 *
 * <p>For each request on a connection the front reads the request line and the headers, replaces the
 * target by {@code /} (always parseable) and adds {@value #HEADER}: the original target, the peer's
 * address and port, the port the client connected to, and the header lines as sent (the JDK's server
 * turns a tab inside a value into a space, which API Gateway does not; a client's own {@value #HEADER}
 * is dropped).
 * The body is passed on as framed ({@code Content-Length} or chunked), so keep-alive connections work;
 * responses flow back untouched. {@link #target(HttpExchange)} and {@link #peer(HttpExchange)} read what
 * the front recorded, or the exchange itself when a request did not come through a front.
 */
public final class RawFront implements AutoCloseable {
    /**
     * The header carrying the original request: {@code <base64url(target)> <peer address> <peer port> <local port>
     * <base64url(header lines)>}.
     */
    public static final String HEADER = "X-Userapi-Local-Front";
    private static final int MAX_HEAD = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private final ServerSocket server;
    private final InetSocketAddress backend;
    private final ExecutorService threads;
    private volatile boolean closed;

    private RawFront(ServerSocket server, InetSocketAddress backend, String name) {
        this.server = server;
        this.backend = backend;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, name + "-front-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::accept);
    }

    /** Listens on {@code server} (bound already) and passes every connection on to {@code backend}. */
    static RawFront start(ServerSocket server, InetSocketAddress backend, String name) {
        return new RawFront(server, backend, name);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** What a request's handler sees of its origin: the peer and the port the client connected to. */
    public record Peer(String address, int port, int localPort) {
    }

    /** The request target as the client sent it (path and query, still percent-encoded). */
    public static String target(HttpExchange exchange) {
        String[] front = fields(exchange);
        if (front != null) {
            return new String(Base64.getUrlDecoder().decode(front[0]), StandardCharsets.ISO_8859_1);
        }
        String raw = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        return (raw == null ? "" : raw) + (query == null ? "" : "?" + query);
    }

    /**
     * The request's header fields as sent, in order (names as spelt, values without the whitespace
     * around them, RFC 9110 5.5; an obsolete line folding joined with a space, RFC 9112 5.2), without
     * the front's own header; or the JDK's parsed headers when a request did not come through a front.
     */
    public static java.util.List<Map.Entry<String, String>> headers(HttpExchange exchange) {
        java.util.List<Map.Entry<String, String>> fields = new java.util.ArrayList<>();
        String[] front = fields(exchange);
        if (front == null) {
            exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> fields.add(Map.entry(name, v))));
            return fields;
        }
        String block = front.length < 5 ? "" : new String(Base64.getUrlDecoder().decode(front[4]), StandardCharsets.ISO_8859_1);
        for (String line : block.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !fields.isEmpty()) {
                Map.Entry<String, String> last = fields.remove(fields.size() - 1);
                fields.add(Map.entry(last.getKey(), (last.getValue() + " " + ows(line)).trim()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.add(Map.entry(line.substring(0, colon).trim(), ows(line.substring(colon + 1))));
            }
        }
        return fields;
    }

    /** Without the optional whitespace (spaces and tabs) around a field value. */
    private static String ows(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return value.substring(start, end);
    }

    public static Peer peer(HttpExchange exchange) {
        String[] front = fields(exchange);
        if (front != null) {
            return new Peer(front[1], Integer.parseInt(front[2]), Integer.parseInt(front[3]));
        }
        return new Peer(exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getRemoteAddress().getPort(),
                exchange.getLocalAddress().getPort());
    }

    private static String[] fields(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst(HEADER);
        if (value == null) {
            return null;
        }
        String[] parts = value.trim().split(" ");
        return parts.length == 4 || parts.length == 5 ? parts : null; // 4: a request without header lines
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            threads.execute(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(backend, 5_000);
            threads.execute(() -> pump(upstream, client)); // owns both sockets from here: closes them when the server is done
            InputStream in = new java.io.BufferedInputStream(client.getInputStream());
            OutputStream out = upstream.getOutputStream();
            String peer = ((InetSocketAddress) client.getRemoteSocketAddress()).getAddress().getHostAddress() + " "
                    + client.getPort() + " " + client.getLocalPort();
            while (forwardOne(in, out, peer)) {
                out.flush();
            }
            out.flush();
            upstream.shutdownOutput(); // the server answers what it has, then closes, and the pump closes the client
        } catch (IOException e) {
            closeQuietly(upstream);
            closeQuietly(client);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Copies the server's answers back to the client until either side closes. */
    private static void pump(Socket upstream, Socket client) {
        byte[] buffer = new byte[16 * 1024];
        try (upstream; client) {
            InputStream in = upstream.getInputStream();
            OutputStream out = client.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        }
    }

    /**
     * Forwards one request, its target replaced and the front header added. False at the end of the
     * client's input; a request it cannot frame is forwarded as it is, followed by the rest of the
     * input (the server answers and closes).
     */
    private static boolean forwardOne(InputStream in, OutputStream out, String peer) throws IOException {
        byte[] head = readHead(in);
        if (head == null) {
            return false;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n", -1);
        String[] request = lines[0].split(" ", -1);
        if (head.length > MAX_HEAD || !text.endsWith("\r\n") || request.length != 3 || request[0].isEmpty()
                || !request[2].startsWith("HTTP/")) {
            out.write(head); // the server refuses what it cannot read, as it always did
            out.write(CRLF);
            in.transferTo(out);
            return false;
        }
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream(head.length * 2 + 128);
        ByteArrayOutputStream fields = new ByteArrayOutputStream(head.length);
        rewritten.writeBytes((request[0] + " / " + request[2]).getBytes(StandardCharsets.ISO_8859_1));
        rewritten.writeBytes(CRLF);
        long contentLength = 0;
        boolean chunked = false;
        boolean unframed = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : line.substring(colon + 1).trim();
            if (name.equals(HEADER.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                unframed = !chunked;
            } else if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                    unframed |= contentLength < 0;
                } catch (NumberFormatException e) {
                    unframed = true;
                }
            }
            rewritten.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
            rewritten.writeBytes(CRLF);
            fields.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
            fields.writeBytes(CRLF);
        }
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String target = base64.encodeToString(request[1].getBytes(StandardCharsets.ISO_8859_1));
        rewritten.writeBytes((HEADER + ": " + target + " " + peer + " " + base64.encodeToString(fields.toByteArray()))
                .getBytes(StandardCharsets.ISO_8859_1));
        rewritten.writeBytes(CRLF);
        rewritten.writeBytes(CRLF);
        out.write(rewritten.toByteArray());
        if (unframed) {
            in.transferTo(out);
            return false;
        }
        if (chunked) {
            copyChunked(in, out);
        } else {
            copy(in, out, contentLength);
        }
        return true;
    }

    /**
     * The request line and the header lines, up to the empty line (not included), each line ended by
     * CRLF; empty lines before a request are skipped (RFC 9112 2.2). Null at the end of the input;
     * longer than {@link #MAX_HEAD} when the head is (the caller forwards it unparsed).
     */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b; (b = in.read()) >= 0; ) {
            if (b != '\n') {
                line.write(b);
                if (head.size() + line.size() > MAX_HEAD) {
                    head.writeBytes(line.toByteArray());
                    return head.toByteArray();
                }
                continue;
            }
            byte[] text = line.toByteArray();
            int length = text.length > 0 && text[text.length - 1] == '\r' ? text.length - 1 : text.length;
            line.reset();
            if (length == 0) {
                if (head.size() == 0) {
                    continue;
                }
                return head.toByteArray();
            }
            head.write(text, 0, length);
            head.writeBytes(CRLF);
        }
        if (head.size() == 0 && line.size() == 0) {
            return null;
        }
        head.writeBytes(line.toByteArray());
        return head.toByteArray();
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new SocketException("the client closed in the middle of a body");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            out.write(sizeLine.getBytes(StandardCharsets.ISO_8859_1));
            out.write(CRLF);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                in.transferTo(out);
                throw new SocketException("a chunk size the front cannot read");
            }
            if (size == 0) {
                String trailer = readLine(in);
                while (!trailer.isEmpty()) {
                    out.write(trailer.getBytes(StandardCharsets.ISO_8859_1));
                    out.write(CRLF);
                    trailer = readLine(in);
                }
                out.write(CRLF);
                return;
            }
            copy(in, out, size);
            readLine(in); // the CRLF after the chunk's data
            out.write(CRLF);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
            if (line.length() > MAX_HEAD) {
                throw new SocketException("a line longer than the front reads");
            }
        }
        throw new SocketException("the client closed in the middle of a chunked body");
    }

    /** For {@link LocalHttpServer}: binds the front's public socket, so a taken port is reported before anything starts. */
    static ServerSocket bind(InetAddress address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(address, port), 128);
        return socket;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
