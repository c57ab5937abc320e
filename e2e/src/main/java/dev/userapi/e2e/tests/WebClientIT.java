package dev.userapi.e2e.tests;

import dev.userapi.e2e.Requires;
import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The web client (web/) served by the local gateway at /app/. */
class WebClientIT {
    private final ApiClient api = Target.get().api();

    @org.junit.jupiter.api.BeforeEach
    void servedLocally() {
        Requires.localGateway("the web client at /app/ (API Gateway does not serve it)");
    }

    @Test
    void app_servesIndexHtmlWithItsContentSecurityPolicy() {
        ApiResponse response = api.get("/app/").send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(response.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.body()).contains("Content-Security-Policy").contains("src/main.js");
    }

    @Test
    void appWithoutSlash_redirects() {
        ApiResponse response = api.get("/app").send();

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("Location")).contains("/app/");
    }

    @Test
    void modules_areJavaScript() {
        assertThat(api.get("/app/src/main.js").send().contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(api.get("/app/config.js").send().status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/app/%2e%2e/pom.xml", "/app/..%2Fpom.xml", "/app/package.json", "/app/node_modules/",
        "/app/test/browser/client.test.mjs", "/app/.gitignore", "/app/nothing.js"})
    void filesOutsideTheClient_are404(String path) {
        assertThat(api.get(path).send().status()).isEqualTo(404);
    }

    @Test
    void writes_are405() {
        assertThat(api.post("/app/index.html").send().status()).isEqualTo(405);
    }
}
