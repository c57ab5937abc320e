package dev.userapi.webhooks.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * POSTs one signed event to a checked {@link AddressGuard.Target}: connects to the address the guard resolved (never
 * resolving the host again), presents the host name for TLS (SNI, certificate name checked as HTTPS does) and the
 * {@code Host} header, gives the whole exchange at most {@link #TIMEOUT} (the deliverer passes what is left of it
 * after the DNS lookup, so the lookup is inside that bound), reads only the status line and headers (at most
 * {@link #MAX_RESPONSE_HEAD} bytes; the body is never read) and follows no redirect: a 3xx is a failed attempt.
 */
public class WebhookSender {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    public static final int MAX_RESPONSE_HEAD = 8 * 1024;

    /** An attempt's outcome: the status the receiver answered, or none with the reason it has none. */
    public record Result(Integer status, String error) {
        public boolean success() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private final SSLSocketFactory tls;
    private final Duration timeout;

    public WebhookSender() {
        this((SSLSocketFactory) SSLSocketFactory.getDefault(), TIMEOUT);
    }

    WebhookSender(SSLSocketFactory tls, Duration timeout) {
        this.tls = tls;
        this.timeout = timeout;
    }

    public Result send(AddressGuard.Target target, Map<String, String> headers, String body) {
        return send(target, headers, body, timeout);
    }

    /** Sends within {@code budget} (what is left of the attempt's bound after the DNS lookup), at most this sender's timeout. */
    public Result send(AddressGuard.Target target, Map<String, String> headers, String body, Duration budget) {
        Duration bound = budget.compareTo(timeout) < 0 ? budget : timeout;
        if (bound.toMillis() <= 0) {
            return new Result(null, "timeout");
        }
        long deadline = System.nanoTime() + bound.toNanos();
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(target.address(), target.port()), remaining(deadline));
            Socket socket = raw;
            if (target.tls()) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(raw, target.host(), target.port(), true);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!isLiteral(target.host())) {
                    parameters.setServerNames(List.of(new SNIHostName(target.host())));
                }
                ssl.setSSLParameters(parameters);
                ssl.setSoTimeout(remaining(deadline));
                ssl.startHandshake();
                socket = ssl;
            }
            StringBuilder head = new StringBuilder();
            head.append("POST ").append(target.pathAndQuery()).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(hostHeader(target)).append("\r\n");
            head.append("User-Agent: user-api-webhooks/1\r\n");
            head.append("Content-Type: application/json\r\n");
            head.append("Content-Length: ").append(payload.length).append("\r\n");
            head.append("Connection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            return new Result(readStatus(socket, deadline), null);
        } catch (SocketTimeoutException e) {
            return new Result(null, "timeout");
        } catch (IOException | IllegalArgumentException e) {
            return new Result(null, "connection failed");
        }
    }

    private static int readStatus(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[MAX_RESPONSE_HEAD];
        int length = 0;
        while (length < buffer.length) {
            socket.setSoTimeout(remaining(deadline));
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                break;
            }
            length += read;
            String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n");
            if (end >= 0) {
                return parseStatus(text.substring(0, end));
            }
        }
        throw new IOException("no status line");
    }

    static int parseStatus(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
            throw new IOException("not an HTTP/1.x status line");
        }
        return Integer.parseInt(parts[1]);
    }

    private static int remaining(long deadline) throws SocketTimeoutException {
        long millis = (deadline - System.nanoTime()) / 1_000_000;
        if (millis <= 0) {
            throw new SocketTimeoutException("deadline");
        }
        return (int) millis;
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static String hostHeader(AddressGuard.Target target) {
        String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
        boolean defaultPort = target.tls() ? target.port() == 443 : target.port() == 80;
        return defaultPort ? host : host + ":" + target.port();
    }
}
