package dev.userapi.local.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaticSiteTest {
    @TempDir
    Path dir;
    private StaticSite site;

    @BeforeEach
    void files() throws IOException {
        Path web = Files.createDirectories(dir.resolve("web"));
        Files.writeString(web.resolve("index.html"), "<!doctype html>");
        Files.writeString(web.resolve("styles.css"), "body{}");
        Files.createDirectories(web.resolve("src/views"));
        Files.writeString(web.resolve("src/main.js"), "export {};");
        Files.writeString(web.resolve("src/views/a b.js"), "export {};");
        Files.writeString(web.resolve(".env"), "SECRET=1");
        Files.writeString(web.resolve("package.json"), "{}");
        Files.createDirectories(web.resolve("node_modules/x"));
        Files.writeString(web.resolve("node_modules/x/index.js"), "module.exports = 1;");
        Files.createDirectories(web.resolve("test"));
        Files.writeString(web.resolve("test/a.test.mjs"), "");
        Files.writeString(dir.resolve("secret.js"), "outside");
        Files.createSymbolicLink(web.resolve("link.js"), dir.resolve("secret.js"));
        site = new StaticSite(web);
    }

    @Test
    void handles_onlyAppAndBelow() {
        assertTrue(StaticSite.handles("/app"));
        assertTrue(StaticSite.handles("/app/"));
        assertTrue(StaticSite.handles("/app/src/main.js"));
        assertFalse(StaticSite.handles("/apple"));
        assertFalse(StaticSite.handles("/me"));
        assertFalse(StaticSite.handles("/"));
    }

    @Test
    void root_servesIndexHtml() throws IOException {
        StaticSite.Response response = site.serve("GET", "/app/");
        assertEquals(200, response.status());
        assertEquals(List.of("text/html; charset=utf-8"), response.headers().get("Content-Type"));
        assertEquals(List.of("nosniff"), response.headers().get("X-Content-Type-Options"));
        assertArrayEquals("<!doctype html>".getBytes(StandardCharsets.UTF_8), response.body());
    }

    @Test
    void appWithoutSlash_redirectsToAppSlash() throws IOException {
        StaticSite.Response response = site.serve("GET", "/app");
        assertEquals(301, response.status());
        assertEquals(List.of("/app/"), response.headers().get("Location"));
    }

    @Test
    void files_haveTheirContentType() throws IOException {
        assertEquals(List.of("text/javascript; charset=utf-8"), site.serve("GET", "/app/src/main.js").headers().get("Content-Type"));
        assertEquals(List.of("text/css; charset=utf-8"), site.serve("HEAD", "/app/styles.css").headers().get("Content-Type"));
        assertEquals(200, site.serve("GET", "/app/src/views/a%20b.js").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/app/../pom.xml", "/app/..%2fsecret.js", "/app/%2e%2e/secret.js", "/app/src/..%2F..%2Fsecret.js", "/app/src/%2e%2e/%2e%2e/secret.js",
        "/app/..%5csecret.js", "/app/.env", "/app/%2eenv", "/app/link.js", "/app/package.json", "/app/node_modules/x/index.js",
        "/app/test/a.test.mjs", "/app/src", "/app/src/", "/app//index.html", "/app/missing.js", "/app/index.html%00.js", "/app/%zz",
    })
    void outsideOrPrivateOrMissing_is404(String path) throws IOException {
        assertEquals(404, site.serve("GET", path).status(), path);
    }

    @Test
    void otherMethods_are405() throws IOException {
        StaticSite.Response response = site.serve("POST", "/app/index.html");
        assertEquals(405, response.status());
        assertEquals(List.of("GET, HEAD"), response.headers().get("Allow"));
    }

    @Test
    void missingWebFolder_is404() throws IOException {
        assertEquals(404, new StaticSite(dir.resolve("nowhere")).serve("GET", "/app/").status());
    }
}
