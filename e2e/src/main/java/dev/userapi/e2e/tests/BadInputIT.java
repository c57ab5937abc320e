package dev.userapi.e2e.tests;

import dev.userapi.e2e.Requires;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.RouteCatalog;
import dev.userapi.e2e.client.RouteCatalog.Access;
import dev.userapi.e2e.client.RouteCatalog.Route;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUsers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * docs/SECURITY.md item 15: bad input of every shape, sent to every route of {@code template.yaml} over
 * HTTP, is a 400 problem+json ({@code InvalidRequest}) — never a 2xx, never a 5xx, never a stack trace.
 * Protected routes are called with valid tokens (an ordinary user's for {@code /me*}, the
 * administrator's for {@code /users*}), so it is the body or query that is refused, not the caller.
 */
class BadInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    private static ApiClient api;
    private static String adminToken;
    private static String victimId;

    /** One bad request and why it is bad. */
    record Bad(String what, byte[] body, String contentType, String query) {
        static Bad body(String what, String body) {
            return new Bad(what, body.getBytes(StandardCharsets.UTF_8), JSON_TYPE, null);
        }

        static Bad typed(String what, String body, String contentType) {
            return new Bad(what, body.getBytes(StandardCharsets.UTF_8), contentType, null);
        }

        static Bad query(String what, String query) {
            return new Bad(what, null, null, query);
        }
    }

    @BeforeAll
    static void users() {
        Requires.highThrottling();
        Requires.admin();
        api = Target.get().api();
        adminToken = Admins.token();
        String victim = TestUsers.confirmed("b15-victim").login().accessToken();
        victimId = api.get("/me").bearer(victim).send().json().path("id").asText();
    }

    @TestFactory
    Stream<DynamicTest> b15_everyRoute_refusesBadInputOfEveryShape_with400ProblemJson() {
        List<DynamicTest> tests = new ArrayList<>();
        int[] total = {0};
        for (Route route : RouteCatalog.routes(Target.get().template())) {
            List<Bad> cases = cases(route);
            if (cases.isEmpty()) {
                continue;
            }
            total[0] += cases.size();
            tests.add(DynamicTest.dynamicTest("b15 " + route + " (" + cases.size() + " bad requests)", () -> {
                // a user of its own for each /me route: a request that is wrongly accepted must not spoil the others
                String token = route.access() == Access.ADMIN ? adminToken
                        : route.access() == Access.USER ? TestUsers.confirmed("b15").login().accessToken() : null;
                List<ApiResponse> responses = sendAll(route, cases, token);
                SoftAssertions softly = new SoftAssertions();
                for (int i = 0; i < cases.size(); i++) {
                    ApiResponse response = responses.get(i);
                    String what = route + " with " + cases.get(i).what() + " → " + response;
                    softly.assertThat(response.status()).as(what).isEqualTo(400);
                    softly.assertThat(response.contentType()).as(what).startsWith("application/problem+json");
                    if (response.contentType().startsWith("application/problem+json")) {
                        softly.assertThat(response.json().path("code").asText()).as(what).isEqualTo("InvalidRequest");
                    }
                    softly.assertThat(response.body()).as(what).doesNotContain("Exception").doesNotContain("\tat ")
                            .doesNotContain("software.amazon");
                }
                softly.assertAll();
            }));
        }
        assertThat(total[0]).as("bad requests in the table").isGreaterThan(500);
        System.err.printf("[b15] %d bad requests over %d routes%n", total[0], tests.size());
        return tests.stream();
    }

    @Test
    void b15_theTableCoversEveryRouteOfTheTemplate() {
        List<String> templateRoutes = Target.get().template().routes().stream()
                .filter(r -> !r.functionId().equals("CorsPreflightFunction"))
                .map(r -> r.method() + " " + r.resource())
                .toList();
        List<Route> routes = RouteCatalog.routes(Target.get().template());
        assertThat(routes.stream().map(Route::toString)).containsExactlyInAnyOrderElementsOf(templateRoutes);
        assertThat(routes.stream().filter(r -> cases(r).isEmpty()).map(Route::toString))
                .as("routes that read neither a body nor a query")
                .containsExactlyInAnyOrder("GET /health", "GET /me", "GET /me/sessions", "GET /users/{id}", "GET /orgs/{orgId}",
                        "GET /orgs/{orgId}/invitations", "GET /webhooks", "GET /me/passkeys");
    }

    /** The route's bad requests, eight at a time (the stack serves requests concurrently), in order. */
    private static List<ApiResponse> sendAll(Route route, List<Bad> cases, String token) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ApiResponse>> futures = new ArrayList<>();
            for (Bad bad : cases) {
                futures.add(pool.submit(() -> send(route, bad, token)));
            }
            List<ApiResponse> responses = new ArrayList<>();
            for (Future<ApiResponse> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static ApiResponse send(Route route, Bad bad, String token) {
        String path = route.pathFor(victimId) + (bad.query() == null ? "" : "?" + bad.query());
        ApiClient.Request request = api.request(route.method(), path).origin(Target.get().origin());
        if (bad.body() != null) {
            request.body(bad.body(), bad.contentType());
        }
        if (token != null) {
            request.bearer(token);
        }
        return request.send();
    }

    /** Every bad shape that applies to the route. */
    static List<Bad> cases(Route route) {
        List<Bad> cases = new ArrayList<>();
        if (!route.query().isEmpty()) {
            cases.addAll(queryCases(route));
        }
        if (!route.takesBody()) {
            return cases;
        }
        Map<String, Object> valid = route.body();
        String validJson = write(valid.isEmpty() ? Map.of("x", 1) : valid);

        // not JSON, or not one JSON object
        cases.add(Bad.body("invalid JSON", "{"));
        cases.add(Bad.body("truncated JSON", validJson.substring(0, validJson.length() - 1)));
        cases.add(Bad.body("trailing garbage after the object", validJson + " x"));
        cases.add(Bad.body("two objects", validJson + validJson));
        cases.add(Bad.body("a JSON array", "[" + validJson + "]"));
        cases.add(Bad.body("a JSON string", "\"text\""));
        cases.add(Bad.body("a JSON number", "42"));
        cases.add(Bad.body("JSON null", "null"));
        cases.add(Bad.body("single quotes", validJson.replace('"', '\'')));
        cases.add(Bad.body("a comment", "/* hi */" + validJson));
        cases.add(Bad.body("NaN", "{\"x\":NaN}"));
        cases.add(Bad.body("deeply nested", "{\"x\":" + "[".repeat(200) + "]".repeat(200) + "}"));
        cases.add(new Bad("invalid UTF-8", concat("{\"name\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28},
                "\"}".getBytes(StandardCharsets.UTF_8)), JSON_TYPE, null));
        cases.add(new Bad("a lone surrogate", "{\"name\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8), JSON_TYPE, null));
        cases.add(Bad.body("a 1 MiB body", write(with(valid, "padding", "a".repeat(1024 * 1024)))));
        cases.add(Bad.body("a body just over 16 KiB", write(with(valid, "padding", "a".repeat(16 * 1024)))));
        cases.add(Bad.body("an unknown field", write(with(valid, "isAdmin", true))));
        cases.add(Bad.body("a mass-assignment field", write(with(valid, "roles", List.of("admin"), "sub", "someone-else"))));
        cases.add(Bad.body("a prototype-pollution field", write(with(valid, "__proto__", Map.of("admin", true)))));

        // the wrong content type, with a body that would otherwise be fine
        cases.add(Bad.typed("Content-Type text/plain", validJson, "text/plain"));
        cases.add(Bad.typed("Content-Type form", "email=someone%40example.com", "application/x-www-form-urlencoded"));
        cases.add(Bad.typed("Content-Type XML", "<user><email>someone@example.com</email></user>", "application/xml"));
        cases.add(Bad.typed("Content-Type application/json5", validJson, "application/json5"));
        cases.add(Bad.typed("charset other than UTF-8", validJson, "application/json; charset=iso-8859-1"));
        cases.add(new Bad("no Content-Type", validJson.getBytes(StandardCharsets.UTF_8), null, null));

        if (valid.isEmpty()) {
            return cases; // a route without a body: an empty body or {} is fine, anything more is not
        }
        cases.add(Bad.body("an empty body", ""));
        cases.add(Bad.body("whitespace only", "  \n "));
        if (!route.required().isEmpty()) {
            cases.add(Bad.body("an empty object", "{}"));
        }
        cases.add(Bad.body("a duplicated field", duplicated(validJson, valid.keySet().iterator().next())));

        for (String field : valid.keySet()) {
            boolean list = valid.get(field) instanceof List<?>;
            List<Object> wrongTypes = new ArrayList<>(List.of(42, 4.2, true, Map.of("value", "x")));
            wrongTypes.add(list ? "user" : List.of("x"));
            if (list) {
                wrongTypes.addAll(List.of(List.of(1), List.of(List.of("user")), List.of(Map.of()), List.of("user", 7)));
            }
            for (Object wrong : wrongTypes) {
                cases.add(Bad.body(field + " of the wrong type (" + write(wrong) + ")", write(with(valid, field, wrong))));
            }
            if (!route.nullable().contains(field)) {
                cases.add(Bad.body(field + " null", write(with(valid, field, null))));
            }
            if (route.required().contains(field)) {
                Map<String, Object> without = new LinkedHashMap<>(valid);
                without.remove(field);
                cases.add(Bad.body(field + " missing", write(without)));
            }
            Object huge = list ? List.of("u".repeat(10_000)) : "x".repeat(10_000);
            cases.add(Bad.body(field + " of 10 000 characters", write(with(valid, field, huge))));
            Object tooMany = list ? java.util.Collections.nCopies(17, "user") : null;
            if (tooMany != null) {
                cases.add(Bad.body(field + " with 17 items", write(with(valid, field, tooMany))));
            }
            for (String control : List.of("a\u0000b", "a\u001bb", "line\nbreak", "a\u2028b")) {
                Object value = list ? List.of(control) : control;
                cases.add(Bad.body(field + " with control character U+" + String.format("%04X", (int) control.charAt(1)),
                        write(with(valid, field, value))));
            }
            if (!field.toLowerCase(java.util.Locale.ROOT).contains("password")) { // a password of spaces is Cognito's to judge
                cases.add(Bad.body(field + " blank", write(with(valid, field, list ? List.of("  ") : "   "))));
            }
            if (route.emails().contains(field)) {
                for (String email : List.of("not-an-email", "a@b", "@example.com", "ada@", "ada@@example.com", "ada lovelace@example.com",
                        "ada@example..com", "ada@-example.com", "<ada@example.com>", "ada@example.com, eve@example.com",
                        "x".repeat(250) + "@example.com", "ada@exa_mple.com", "ada\u0000@example.com")) {
                    cases.add(Bad.body(field + " is not an e-mail address (" + email.substring(0, Math.min(email.length(), 24)) + ")",
                            write(with(valid, field, email))));
                }
            }
        }
        return cases;
    }

    private static List<Bad> queryCases(Route route) {
        List<Bad> cases = new ArrayList<>();
        if (route.query().contains("limit")) { // the listings refuse what they do not know
            cases.add(Bad.query("an unknown query parameter", "isAdmin=true"));
            for (String limit : List.of("abc", "0", "-1", "101", "1.5", "1e2", "", "%00", "99999999999999999999", " 5", "0x10")) {
                cases.add(Bad.query("limit=" + limit, "limit=" + limit.replace(" ", "%20").replace("+", "%2B")));
            }
        }
        if (route.query().contains("cursor")) {
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    "{\"pk\":{\"S\":\"META\"},\"sk\":{\"S\":\"ADMINS\"}}".getBytes(StandardCharsets.UTF_8));
            for (String cursor : List.of("garbage", "%00", "e30", forged, "x".repeat(5000))) {
                cases.add(Bad.query("cursor " + cursor.substring(0, Math.min(cursor.length(), 16)), "cursor=" + cursor));
            }
        }
        if (route.query().contains("email")) {
            cases.add(Bad.query("email prefix with a control character", "email=a%00b"));
            cases.add(Bad.query("email prefix too long", "email=" + "a".repeat(300)));
        }
        if (route.query().contains("role")) {
            cases.add(Bad.query("an unknown role", "role=superuser"));
        }
        if (route.query().contains("redirect")) { // hosted sign-in: only an allowed origin, as an absolute URL
            String origin = Target.get().origin();
            for (String redirect : List.of("", "https://evil.example/steal", "javascript:alert(1)", "//evil.example", "/relative",
                    origin + "@evil.example/", origin + "/#fragment", origin + "/" + "x".repeat(3000),
                    origin + "/\r\nSet-Cookie: x=1", "data:text/html,hi")) {
                cases.add(Bad.query("redirect " + redirect.substring(0, Math.min(redirect.length(), 32)),
                        "redirect=" + java.net.URLEncoder.encode(redirect, StandardCharsets.UTF_8)));
            }
            cases.add(Bad.query("no redirect", "other=1"));
        }
        if (route.query().contains("state")) { // the hosted UI's callback: a state that was never issued, or none
            cases.add(Bad.query("no state", "code=abc"));
            cases.add(Bad.query("no code", "state=abc"));
            cases.add(Bad.query("an unknown state", "code=abc&state=never-issued"));
            cases.add(Bad.query("an unknown state with an error", "error=access_denied&state=never-issued"));
            cases.add(Bad.query("a state with control characters", "code=abc&state=a%00b%0d%0a"));
            cases.add(Bad.query("a huge state", "code=abc&state=" + "s".repeat(4000)));
        }
        if (route.query().contains("status")) {
            cases.add(Bad.query("an unknown status", "status=BOGUS"));
            cases.add(Bad.query("status DELETED (not a filter)", "status=DELETED"));
        }
        return cases;
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            copy.put((String) keyValues[i], keyValues[i + 1]);
        }
        return copy;
    }

    private static String duplicated(String json, String field) {
        return "{\"" + field + "\":\"first\"," + json.substring(1);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
