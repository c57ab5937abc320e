package dev.userapi.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The front lets the handler see every request as sent: targets the JDK's server refuses with its own
 * HTML page, bodies framed by length or chunks on a kept-alive connection, and never a client's own
 * front header.
 */
class RawFrontTest {
    private LocalHttpServer server;

    @BeforeEach
    void start() {
        server = LocalHttpServer.startBehindFront("the test", InetAddress.getLoopbackAddress(), 0, 4, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            RawFront.Peer peer = RawFront.peer(exchange);
            String authorization = RawFront.headers(exchange).stream().filter(f -> f.getKey().equalsIgnoreCase("Authorization"))
                    .map(f -> f.getValue().replace("\t", "<TAB>")).findFirst().orElse("-");
            String echo = exchange.getRequestMethod() + " " + RawFront.target(exchange) + " body=" + new String(body, StandardCharsets.UTF_8)
                    + " peer=" + peer.address() + " local=" + peer.localPort() + " authorization=" + authorization;
            byte[] bytes = echo.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }, "use another port");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends raw bytes on one connection and reads {@code answers} answers (each with a Content-Length). */
    private String exchange(String raw, int answers) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder bodies = new StringBuilder();
            for (int i = 0; i < answers; i++) {
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200");
                int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
                bodies.append(new String(in.readNBytes(length), StandardCharsets.UTF_8)).append('\n');
            }
            return bodies.toString();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void targetsTheJdkServerRefuses_reachTheHandler_asSent() throws IOException {
        String answers = exchange("GET /users/%zz HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET //users?x=%zz HTTP/1.1\r\nHost: x\r\n\r\n"
                + "FOO * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3);
        assertThat(answers.lines().toList()).hasSize(3);
        assertThat(answers.lines().toList().get(0)).startsWith("GET /users/%zz body=");
        assertThat(answers.lines().toList().get(1)).startsWith("GET //users?x=%zz body=");
        assertThat(answers.lines().toList().get(2)).startsWith("FOO * body=");
    }

    /** (No trailers after the last chunk: the JDK's server does not read them.) */
    @Test
    void bodiesFramedByLengthOrChunks_keepTheConnectionsRequestsApart() throws IOException {
        String answers = exchange("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                + "\r\nGET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3);
        assertThat(answers.lines().toList()).extracting(l -> l.substring(0, l.indexOf(" peer=")))
                .containsExactly("POST /a body=hello", "POST /b body=abcde", "GET /c body=");
    }

    /** The JDK's server turns a tab inside a value into a space; API Gateway does not (issue 15: Authorization exactly). */
    @Test
    void headerValues_areAsSent_withoutTheWhitespaceAroundThem() throws IOException {
        String answer = exchange("GET /a HTTP/1.1\r\nHost: x\r\nAuthorization: \t Bearer\tabc  def \t\r\nConnection: close\r\n\r\n", 1);
        assertThat(answer).contains("authorization=Bearer<TAB>abc  def\n");
    }

    @Test
    void theClientsOwnFrontHeader_isDropped_andThePeerIsTheClient() throws IOException {
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("/forged".getBytes(StandardCharsets.UTF_8));
        String answer = exchange("GET /real HTTP/1.1\r\nHost: x\r\n" + RawFront.HEADER + ": " + forged + " 203.0.113.9 1 2 " + forged + "\r\n"
                + "Connection: close\r\n\r\n", 1);
        assertThat(answer).startsWith("GET /real body=").contains("peer=127.0.0.1").contains("local=" + server.port());
    }
}
