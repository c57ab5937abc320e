package dev.userapi.local.testing;

import dev.userapi.e2e.client.ApiResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests {@link ApiClient} cannot send: request targets that are
 * not valid URIs ({@code /users/%zz}), paths a URI library rewrites ({@code //users}), methods in any
 * spelling, headers exactly as written. Several requests can share one connection (keep-alive).
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    private RawHttp(URI base) throws IOException {
        this.socket = new Socket(base.getHost(), base.getPort());
        this.socket.setSoTimeout(30_000);
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.host = base.getHost() + ":" + base.getPort();
    }

    /** A connection to the API at {@code baseUrl} (http only). */
    public static RawHttp connect(String baseUrl) {
        try {
            return new RawHttp(URI.create(baseUrl));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + baseUrl, e);
        }
    }

    /** One request on a new connection, closed afterwards. */
    public static ApiResponse send(String baseUrl, String method, String target, Map<String, String> headers) {
        try (RawHttp http = connect(baseUrl)) {
            return http.request(method, target, headers, null);
        }
    }

    /** Sends {@code method target HTTP/1.1} with {@code Host}, the headers as given and the body, and reads the answer. */
    public ApiResponse request(String method, String target, Map<String, String> headers, String body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        try {
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            return read(method.equals("HEAD"));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " failed", e);
        }
    }

    private ApiResponse read(boolean head) throws IOException {
        String status = line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + status);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        int code = Integer.parseInt(parts[1]);
        String length = first(headers, "Content-Length");
        String encoding = first(headers, "Transfer-Encoding");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head || code == 204 || code == 304) {
            return new ApiResponse(code, headers, "");
        } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            String trailer = line();
            while (!trailer.isEmpty()) { // trailers, if any
                trailer = line();
            }
        } else if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
        } else {
            body.write(in.readAllBytes());
        }
        return new ApiResponse(code, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String first(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                .findFirst().orElse(null);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        throw new IOException("the connection closed in the middle of an answer");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
