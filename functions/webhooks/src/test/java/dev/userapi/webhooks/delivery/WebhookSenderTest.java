package dev.userapi.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/** The sender on loopback servers this test runs: pinned address, no redirects, bounded time. */
class WebhookSenderTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void e34_connectsToTheCheckedAddress_neverResolvingTheHostAgain() throws Exception {
        AtomicReference<String> host = new AtomicReference<>();
        AtomicReference<String> body = new AtomicReference<>();
        AtomicReference<String> signature = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/", exchange -> {
            host.set(exchange.getRequestHeaders().getFirst("Host"));
            signature.set(exchange.getRequestHeaders().getFirst("webhook-signature"));
            body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            // "hooks.invalid" cannot resolve (RFC 6761): the request only works because the sender uses the pinned address.
            var target = new AddressGuard.Target("hooks.invalid", port, false, LOOPBACK, "/in?x=1");
            var result = new WebhookSender().send(target, Map.of("webhook-signature", "v1,abc"), "{\"id\":\"evt_1\"}");
            assertThat(result.success()).isTrue();
            assertThat(result.status()).isEqualTo(204);
            assertThat(host.get()).isEqualTo("hooks.invalid:" + port);
            assertThat(signature.get()).isEqualTo("v1,abc");
            assertThat(body.get()).isEqualTo("{\"id\":\"evt_1\"}");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void e34_aRedirectIsAFailedAttempt_notFollowed() throws Exception {
        AtomicReference<Integer> requests = new AtomicReference<>(0);
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/", exchange -> {
            requests.set(requests.get() + 1);
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            var target = new AddressGuard.Target("127.0.0.1", server.getAddress().getPort(), false, LOOPBACK, "/");
            var result = new WebhookSender().send(target, Map.of(), "{}");
            assertThat(result.success()).isFalse();
            assertThat(result.status()).isEqualTo(302);
            assertThat(requests.get()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void e34_aReceiverThatNeverAnswers_isCutOffAtTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, LOOPBACK)) {
            var target = new AddressGuard.Target("127.0.0.1", silent.getLocalPort(), false, LOOPBACK, "/");
            var sender = new WebhookSender((SSLSocketFactory) SSLSocketFactory.getDefault(), Duration.ofMillis(300));
            var result = sender.send(target, Map.of(), "{}");
            assertThat(result.success()).isFalse();
            assertThat(result.status()).isNull();
            assertThat(result.error()).isEqualTo("timeout");
        }
    }

    @Test
    void statusLine_parsedStrictly() throws Exception {
        assertThat(WebhookSender.parseStatus("HTTP/1.1 200 OK")).isEqualTo(200);
        assertThat(WebhookSender.parseStatus("HTTP/1.0 503")).isEqualTo(503);
        for (String bad : new String[] {"HTTP/2 200", "200 OK", "HTTP/1.1 20x OK", "HTTP/1.1 999 X"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebhookSender.parseStatus(bad)).isInstanceOf(java.io.IOException.class);
        }
    }
}
