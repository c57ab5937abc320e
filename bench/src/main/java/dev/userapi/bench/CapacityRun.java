package dev.userapi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userapi.local.DevStack;
import dev.userapi.local.StackOptions;
import dev.userapi.local.outbox.OutboxMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * DynamoDB capacity units per route, counted by DynamoDB itself: the local stack's functions run with
 * {@code userapi.measureCapacity} set (core's {@code CapacityRecorder}: every DynamoDB call asks for
 * {@code ReturnConsumedCapacity=INDEXES} and logs the answer), and a scripted, sequential mix of requests is sent;
 * each request's lines are what that request cost (authorizer, function and triggers together). Capacity units
 * depend on item sizes and key design only, not on timing, so these numbers hold on a loaded machine.
 *
 * <p>The authorizer's cache is off (TTL 0), so every authenticated request pays its read; the per-route table shows
 * the authorizer's share apart ({@code GetItem} with a consistent read of the profile), so a cache hit ratio can be
 * applied in docs/COST.md.
 */
final class CapacityRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PASSWORD = Benchmark.PASSWORD;
    private static final java.util.Set<String> WRITES = java.util.Set.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems",
            "BatchWriteItem");

    private final Path root;
    private final Path file;
    private DevStack stack;
    private final Map<String, List<List<JsonNode>>> byStep = new LinkedHashMap<>();

    CapacityRun(Path root, Path work) throws Exception {
        this.root = root;
        this.file = Files.createDirectories(work).resolve("capacity.jsonl");
        Files.deleteIfExists(file);
        Files.createFile(file);
    }

    /** Runs the mix {@code users} times (each a fresh user) and returns the per-route JSON section. */
    Map<String, Object> run(int users) throws Exception {
        System.setProperty("userapi.measureCapacity", file.toString());
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("UniformResponseMillis", "0");
        overrides.put("AuthorizerCacheTtlSeconds", "0");
        overrides.put("ThrottlingRateLimit", "1000000");
        overrides.put("ThrottlingBurstLimit", "1000000");
        overrides.put("AuthThrottlingRateLimit", "1000000");
        overrides.put("AuthThrottlingBurstLimit", "1000000");
        // the web ACL's per-IP rate rules (issue 17): every request of the benchmark comes from 127.0.0.1
        overrides.put("WafAuthRequestsPerIp", "2000000000");
        overrides.put("WafRequestsPerIp", "2000000000");
        try (DevStack started = DevStack.start(StackOptions.defaults(root).withParameterOverrides(overrides))) {
            this.stack = started;
            JsonNode adminTokens = call("warm-up: admin login", "POST", "/auth/login", null,
                    Map.of("email", StackOptions.DEFAULT_ADMIN_EMAIL, "password", StackOptions.DEFAULT_ADMIN_PASSWORD), 200, false);
            String admin = adminTokens.path("accessToken").asText();
            for (int i = 0; i < users; i++) {
                mix(admin, i);
            }
        } finally {
            System.clearProperty("userapi.measureCapacity");
        }
        return summary(users);
    }

    private void mix(String admin, int i) throws Exception {
        String email = "capacity-" + i + "-" + Long.toHexString(System.nanoTime()) + "@example.com";
        call("POST /auth/sign-up", "POST", "/auth/sign-up", null, Map.of("email", email, "password", PASSWORD, "name", "Cap"), 202, true);
        String code = stack.outbox().messages(Optional.of(email)).stream().filter(m -> m.kind().equals("SIGN_UP"))
                .map(OutboxMessage::code).findFirst().orElseThrow(() -> new IllegalStateException("no code for " + email));
        call("POST /auth/confirm (+ post-confirmation, pre-token-generation)", "POST", "/auth/confirm", null,
                Map.of("email", email, "code", code, "password", PASSWORD), 200, true);
        JsonNode login = call("POST /auth/login (+ pre-token-generation)", "POST", "/auth/login", null,
                Map.of("email", email, "password", PASSWORD), 200, true);
        String access = login.path("accessToken").asText();
        String refresh = login.path("refreshToken").asText();
        JsonNode refreshed = call("POST /auth/refresh (+ pre-token-generation)", "POST", "/auth/refresh", null,
                Map.of("refreshToken", refresh), 200, true);
        access = refreshed.path("accessToken").asText(access);
        String sub = JSON.readTree(Base64.getUrlDecoder().decode(access.split("\\.")[1])).path("sub").asText();
        call("GET /me (+ authorizer)", "GET", "/me", access, null, 200, true);
        call("PATCH /me (+ authorizer)", "PATCH", "/me", access, Map.of("name", "Cap " + i), 200, true);
        call("GET /users?limit=25 (admin; + authorizer)", "GET", "/users?limit=25", admin, null, 200, true);
        call("PUT /users/{id}/roles (admin; + authorizer)", "PUT", "/users/" + sub + "/roles", admin, Map.of("roles", List.of("user")), 200, true);
        call("POST /auth/logout", "POST", "/auth/logout", access, Map.of("refreshToken", refresh), 204, true);
    }

    private JsonNode call(String step, String method, String path, String bearer, Object body, int expected, boolean record) throws Exception {
        long before = lines().size();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.apiUrl() + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        List<JsonNode> all = settled();
        if (record) {
            byStep.computeIfAbsent(step, k -> new ArrayList<>()).add(all.subList((int) before, all.size()));
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** The lines once no new line has appeared for 300 ms (work a function finishes after answering is counted to it). */
    private List<JsonNode> settled() throws Exception {
        List<JsonNode> last = lines();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(300);
            List<JsonNode> now = lines();
            if (now.size() == last.size()) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private Map<String, Object> summary(int users) {
        Map<String, Object> routes = new LinkedHashMap<>();
        byStep.forEach((step, runs) -> {
            Map<String, Object> route = new LinkedHashMap<>();
            List<JsonNode> first = runs.get(0);
            double read = 0;
            double write = 0;
            Map<String, Double> byOperation = new TreeMap<>();
            int emptyReads = 0;
            for (JsonNode n : first) {
                // DynamoDB Local fills CapacityUnits (not always the read/write split): classify by operation
                double units = n.path("capacityUnits").asDouble();
                if (WRITES.contains(n.path("operation").asText())) {
                    write += units;
                } else {
                    read += units;
                    emptyReads += units == 0 ? 1 : 0;
                }
                String key = n.path("operation").asText() + (n.path("indexes").size() > 0 ? " (+" + n.path("indexes").size() + " GSI)" : "");
                byOperation.merge(key, n.path("capacityUnits").asDouble(), Double::sum);
            }
            boolean deterministic = runs.stream().allMatch(r -> total(r, "capacityUnits") == total(first, "capacityUnits") && r.size() == first.size());
            route.put("calls", first.size());
            route.put("readUnits", read);
            route.put("writeUnits", write);
            route.put("byOperation", byOperation);
            // reads that found nothing: DynamoDB Local reports 0 units, DynamoDB bills at least 0.5 (eventually consistent)
            route.put("zeroUnitReads", emptyReads);
            route.put("sameInEveryRun", deterministic);
            route.put("runs", runs.size());
            route.put("calls_detail", first);
            routes.put(step, route);
        });
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("users", users);
        section.put("authorizerCacheTtlSeconds", 0);
        section.put("routes", routes);
        return section;
    }

    private static double total(List<JsonNode> run, String field) {
        return run.stream().mapToDouble(n -> n.path(field).asDouble()).sum();
    }
}
