package dev.userapi.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The JWKS download: timeouts, size cap, status and redirect handling. */
class HttpJwksFetcherTest {
    private final HttpJwksFetcher fetcher = new HttpJwksFetcher();

    @Test
    void defaults_areTheDocumentedTimeoutsAndCap() {
        assertThat(HttpJwksFetcher.DEFAULT_CONNECT_MILLIS).isEqualTo(1000);
        assertThat(HttpJwksFetcher.DEFAULT_READ_MILLIS).isEqualTo(1500);
        assertThat(HttpJwksFetcher.DEFAULT_MAX_BYTES).isEqualTo(64 * 1024);
    }

    @Test
    void fetch_returnsTheBody() throws Exception {
        try (JwksServer server = JwksServer.withKeys("k", TestKeys.POOL)) {
            assertThat(new String(fetcher.fetch(server.jwksUrl()), StandardCharsets.UTF_8)).contains("\"kid\":\"k\"");
        }
    }

    @Test
    void a9_hangingServer_timesOutWithinTwoSeconds() throws Exception {
        try (JwksServer server = new JwksServer().hang()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> fetcher.fetch(server.jwksUrl())).isInstanceOf(IOException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1000L, 2200L);
            assertThat(server.requests()).as("no silent retry").isEqualTo(1);
        }
    }

    @Test
    void a9_silentListener_timesOut() throws Exception {
        // accepts the TCP connection but never reads or answers
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> fetcher.fetch(URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/jwks.json")))
                    .isInstanceOf(IOException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2200L);
        }
    }

    @Test
    void a9_slowDrip_isCutOffByTheOverallDeadline() throws Exception {
        try (JwksServer server = JwksServer.withKeys("k", TestKeys.POOL).drip()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> fetcher.fetch(server.jwksUrl())).isInstanceOf(IOException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4000L);
        }
    }

    @Test
    void a9_refusedConnection_failsFast() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> fetcher.fetch(URI.create("http://127.0.0.1:" + port + "/jwks.json"))).isInstanceOf(IOException.class);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1500L);
    }

    @Test
    void a9_declaredLengthOverTheCap_isRefused() throws Exception {
        try (JwksServer server = new JwksServer().serveRaw(200, new byte[HttpJwksFetcher.DEFAULT_MAX_BYTES + 1])) {
            assertThatThrownBy(() -> fetcher.fetch(server.jwksUrl())).isInstanceOf(IOException.class).hasMessageContaining("larger");
        }
    }

    @Test
    void a9_chunkedBodyOverTheCap_isRefused() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[16 * 1024];
                for (int i = 0; i < 64; i++) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                // the client stopped reading
            }
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
            assertThatThrownBy(() -> fetcher.fetch(url)).isInstanceOf(IOException.class).hasMessageContaining("larger");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void bodyAtTheCap_isAccepted() throws Exception {
        try (JwksServer server = new JwksServer().serveRaw(200, new byte[HttpJwksFetcher.DEFAULT_MAX_BYTES])) {
            assertThat(fetcher.fetch(server.jwksUrl())).hasSize(HttpJwksFetcher.DEFAULT_MAX_BYTES);
        }
    }

    @Test
    void non200_isRefused() throws Exception {
        for (int status : new int[] {201, 204, 301, 302, 304, 400, 404, 500, 503}) {
            try (JwksServer server = new JwksServer().serveRaw(status, "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8))) {
                assertThatThrownBy(() -> fetcher.fetch(server.jwksUrl())).as("status " + status).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void redirect_isNotFollowed() throws Exception {
        try (JwksServer target = JwksServer.withKeys("k", TestKeys.POOL)) {
            HttpServer redirector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
            redirector.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Location", target.jwksUrl().toString());
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });
            redirector.start();
            try {
                URI url = URI.create("http://127.0.0.1:" + redirector.getAddress().getPort() + "/jwks.json");
                assertThatThrownBy(() -> fetcher.fetch(url)).isInstanceOf(IOException.class);
                assertThat(target.requests()).isZero();
            } finally {
                redirector.stop(0);
            }
        }
    }

    @Test
    void nonHttpUrl_isRefused() {
        assertThatThrownBy(() -> fetcher.fetch(URI.create("file:///etc/passwd"))).isInstanceOf(IOException.class);
    }

    @Test
    void limits_mustBePositive() {
        assertThatThrownBy(() -> new HttpJwksFetcher(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpJwksFetcher(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
