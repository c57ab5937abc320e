package dev.userapi.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.userapi.core.json.Json;
import dev.userapi.local.http.Exchanges;
import dev.userapi.local.http.LocalHttpServer;
import dev.userapi.local.http.RawFront;
import dev.userapi.local.lambda.FunctionError;
import dev.userapi.local.lambda.LambdaFunction;
import dev.userapi.local.outbox.Outbox;
import dev.userapi.local.web.StaticSite;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * API Gateway (REST API, Lambda proxy integration) on a local port: finds the route of each request
 * in the template's routes, runs the route's TOKEN authorizer, builds the proxy event, invokes the
 * route's function in-process and turns its response into HTTP. Requests are throttled per method
 * as the stage's {@code MethodSettings} say. What API Gateway answers by itself (unknown route, 401,
 * 403, 429, authorizer or integration failure) comes from the template's gateway
 * responses. The local-only outbox is served at {@code GET /_local/outbox}, the web client ({@code web/})
 * at {@code /app/}.
 */
public final class ApiGateway implements AutoCloseable {
    /** API Gateway's payload limit. */
    private static final int MAX_BODY = 10 * 1024 * 1024;
    private static final String OUTBOX_PATH = "/_local/outbox";

    private final RouteTable routes;
    private final Map<String, LambdaFunction> functions;
    private final Map<String, TokenAuthorizer> authorizers;
    private final GatewayResponses gatewayResponses;
    private final Throttle throttle;
    private final WebAcl webAcl;
    private final ProxyEvents events;
    private final Outbox outbox;
    private final StaticSite site;
    private final String region;
    private final ProxyEvents.ApiIdentity api;
    private final Clock clock;
    private final LocalHttpServer server;

    public ApiGateway(Config config) {
        this.routes = config.routes();
        this.functions = Map.copyOf(config.functions());
        this.authorizers = Map.copyOf(config.authorizers());
        this.gatewayResponses = config.gatewayResponses();
        this.throttle = config.throttle();
        this.webAcl = config.webAcl();
        this.api = config.api();
        this.events = new ProxyEvents(config.api());
        this.outbox = config.outbox();
        this.site = config.site();
        this.region = config.region();
        this.clock = Clock.systemUTC();
        // Behind a raw front: API Gateway, not the JDK's server, answers requests such as //users or /users/%zz.
        this.server = LocalHttpServer.startBehindFront("the API", config.bindAddress(), config.port(), 64, this::handle,
                "start with --port <free port>");
    }

    /** Everything the gateway serves. */
    public record Config(
            InetAddress bindAddress,
            int port,
            String region,
            ProxyEvents.ApiIdentity api,
            RouteTable routes,
            Map<String, LambdaFunction> functions,
            Map<String, TokenAuthorizer> authorizers,
            GatewayResponses gatewayResponses,
            Throttle throttle,
            WebAcl webAcl,
            Outbox outbox,
            StaticSite site) {
    }

    public int port() {
        return server.port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        // HTTP methods are case-sensitive (RFC 9110 9.1): "get" is not GET, and matches no route.
        String method = exchange.getRequestMethod();
        String target = RawFront.target(exchange);
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        String rawQuery = question < 0 ? null : target.substring(question + 1);
        String path = normalise(rawPath);
        RawFront.Peer peer = RawFront.peer(exchange);
        Map<String, List<String>> headers = headers(exchange, peer);
        String label = "-";
        try (exchange) {
            if (StaticSite.handles(rawPath)) {
                StaticSite.Response response = site.serve(method, rawPath);
                send(exchange, response.status(), response.headers(), response.body());
                return;
            }
            if (path.equals(OUTBOX_PATH) && method.equals("GET")) {
                Optional<String> email = Optional.ofNullable(Exchanges.query(rawQuery).get("email"))
                        .map(values -> values.get(0));
                send(exchange, 200, jsonHeaders(requestId), outbox.toJson(email).getBytes(StandardCharsets.UTF_8));
                return;
            }
            // AWS WAF sits in front of the stage: its per-IP rules count every request, known route or not.
            Optional<WebAcl.Block> blocked = webAcl.check(peer.address(), rawPath);
            if (blocked.isPresent()) {
                label = "waf:" + blocked.get().rule();
                if (blocked.get().response().isPresent()) {
                    WebAcl.BlockResponse response = blocked.get().response().get();
                    Map<String, List<String>> answer = new java.util.LinkedHashMap<>();
                    response.contentType().ifPresent(type -> answer.put("Content-Type", List.of(type)));
                    response.headers().forEach((name, value) -> answer.put(name, List.of(value)));
                    send(exchange, response.status(), answer, response.body());
                } else {
                    gateway(exchange, GatewayResponses.Type.WAF_FILTERED, requestId, null, method, headers);
                }
                return;
            }
            byte[] body = Exchanges.readBody(exchange, MAX_BODY);
            if (body == null) {
                gateway(exchange, GatewayResponses.Type.REQUEST_TOO_LARGE, requestId, null, method, headers);
                return;
            }
            // A path no resource can have (an empty segment, a malformed %-escape, not origin-form) is, for API
            // Gateway, a resource that does not exist.
            Optional<RouteTable.Match> match = resourcePath(rawPath) ? routes.find(method, path) : Optional.empty();
            if (match.isEmpty()) {
                gateway(exchange, GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN, requestId, null, method, headers);
                return;
            }
            Route route = match.get().route();
            label = route.functionId();
            if (!throttle.admit(method, route.resource())) {
                gateway(exchange, GatewayResponses.Type.THROTTLED, requestId, route.resource(), method, headers);
                return;
            }
            Map<String, Object> authorizerContext = null;
            if (route.authorizer().isPresent()) {
                TokenAuthorizer authorizer = authorizers.get(route.authorizer().get());
                String methodArn = "arn:aws:execute-api:" + region + ":" + api.accountId() + ":" + api.apiId() + "/" + api.stage()
                        + "/" + method + path;
                long authStarted = System.nanoTime();
                TokenAuthorizer.Outcome outcome = authorizer.authorize(header(headers, authorizer.identityHeader()), methodArn);
                if (outcome instanceof TokenAuthorizer.Allowed allowed) {
                    authorizerContext = new LinkedHashMap<>(allowed.context());
                    authorizerContext.put("principalId", allowed.principalId());
                    authorizerContext.put("integrationLatency", (System.nanoTime() - authStarted) / 1_000_000);
                } else {
                    refuse(exchange, outcome, requestId, route, method, headers);
                    return;
                }
            }
            var request = new ProxyEvents.Request(requestId, Instant.now(clock), method, path, headers,
                    Exchanges.query(rawQuery), body, peer.address(), exchange.getProtocol());
            ObjectNode event = events.event(request, match.get(), authorizerContext);
            integrate(exchange, functions.get(route.functionId()), event, requestId, route, method, headers);
        } catch (RuntimeException e) {
            System.err.printf("[api] %s %s failed in the local gateway: %s%n", method, path, e);
            gateway(exchange, GatewayResponses.Type.INTEGRATION_FAILURE, requestId, null, method, headers);
        } finally {
            System.err.printf("[api] %s %s -> %s (%s, %d ms)%n", method, path, lastStatus(exchange), label,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    private int integrate(HttpExchange exchange, LambdaFunction function, ObjectNode event, String requestId, Route route,
                          String method, Map<String, List<String>> headers) throws IOException {
        byte[] response;
        try {
            response = function.invoke(Json.write(event).getBytes(StandardCharsets.UTF_8));
        } catch (FunctionError.Unavailable e) {
            return unavailable(exchange, e, requestId, headers);
        } catch (FunctionError.Timeout e) {
            System.err.printf("[lambda] %s: %s%n", function.id(), e.getMessage());
            return gateway(exchange, GatewayResponses.Type.INTEGRATION_TIMEOUT, requestId, route.resource(), method, headers);
        } catch (FunctionError e) {
            System.err.printf("[lambda] %s failed: %s: %s%n", function.id(), e.errorType(), e.getMessage());
            if (e.getCause() != null) {
                e.getCause().printStackTrace(System.err); // the function's own failure, as Lambda's log would show it
            }
            return gateway(exchange, GatewayResponses.Type.INTEGRATION_FAILURE, requestId, route.resource(), method, headers);
        }
        JsonNode proxy;
        try {
            proxy = Json.mapper().readTree(response);
        } catch (IOException e) {
            proxy = null;
        }
        if (proxy == null || !proxy.isObject() || !proxy.path("statusCode").canConvertToInt()) {
            System.err.printf("[lambda] %s returned a malformed proxy response%n", function.id());
            return gateway(exchange, GatewayResponses.Type.INTEGRATION_FAILURE, requestId, route.resource(), method, headers);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        proxy.path("multiValueHeaders").properties().forEach(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            out.put(e.getKey(), values);
        });
        proxy.path("headers").properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), new ArrayList<>(List.of(e.getValue().asText())));
            }
        });
        if (out.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Type"))) {
            out.put("Content-Type", List.of("application/json"));
        }
        out.put("x-amzn-RequestId", List.of(requestId));
        JsonNode bodyNode = proxy.get("body");
        byte[] body = null;
        if (bodyNode != null && !bodyNode.isNull()) {
            body = proxy.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(bodyNode.asText())
                    : bodyNode.asText().getBytes(StandardCharsets.UTF_8);
        }
        return send(exchange, proxy.get("statusCode").asInt(), out, body);
    }

    private int refuse(HttpExchange exchange, TokenAuthorizer.Outcome outcome, String requestId, Route route, String method,
                       Map<String, List<String>> headers) throws IOException {
        if (outcome instanceof TokenAuthorizer.Unauthorized) {
            return gateway(exchange, GatewayResponses.Type.UNAUTHORIZED, requestId, route.resource(), method, headers);
        }
        if (outcome instanceof TokenAuthorizer.Denied denied) {
            Optional<String> message = denied.explicit() ? Optional.empty()
                    : Optional.of("User is not authorized to access this resource");
            return gatewayWithMessage(exchange, GatewayResponses.Type.ACCESS_DENIED, message, requestId, route.resource(), method, headers);
        }
        if (outcome instanceof TokenAuthorizer.Unavailable unavailable) {
            return unavailable(exchange, unavailable.error(), requestId, headers);
        }
        TokenAuthorizer.Failed failed = (TokenAuthorizer.Failed) outcome;
        System.err.printf("[api] authorizer of %s %s failed: %s%n", method, route.resource(), failed.reason());
        return gateway(exchange, failed.type(), requestId, route.resource(), method, headers);
    }

    /** A function without code yet: a local-only 502 that names it, so the developer knows what is missing. */
    private int unavailable(HttpExchange exchange, FunctionError error, String requestId, Map<String, List<String>> headers)
            throws IOException {
        System.err.printf("[lambda] %s is unavailable: %s%n", error.functionId(), error.getMessage());
        ObjectNode problem = Json.mapper().createObjectNode();
        problem.put("type", "https://userapi.dev/problems/local-function-unavailable");
        problem.put("title", "The function's handler cannot be loaded");
        problem.put("status", 502);
        problem.put("detail", error.functionId() + ": " + error.getMessage());
        problem.put("code", "InternalError");
        problem.put("requestId", requestId);
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("Content-Type", List.of("application/problem+json"));
        out.put("x-amzn-RequestId", List.of(requestId));
        header(headers, "Origin").ifPresent(origin -> {
            out.put("Access-Control-Allow-Origin", List.of(origin));
            out.put("Vary", List.of("Origin"));
        });
        return send(exchange, 502, out, Json.write(problem).getBytes(StandardCharsets.UTF_8));
    }

    private int gateway(HttpExchange exchange, GatewayResponses.Type type, String requestId, String resource, String method,
                        Map<String, List<String>> headers) throws IOException {
        return gatewayWithMessage(exchange, type, Optional.empty(), requestId, resource, method, headers);
    }

    private int gatewayWithMessage(HttpExchange exchange, GatewayResponses.Type type, Optional<String> message, String requestId,
                                   String resource, String method, Map<String, List<String>> headers) throws IOException {
        GatewayResponses.Rendered rendered = gatewayResponses.render(type, message, requestId, resource, method,
                name -> header(headers, name));
        return send(exchange, rendered.status(), rendered.headers(), rendered.body());
    }

    private static int send(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body) throws IOException {
        Exchanges.send(exchange, status, headers, body);
        return status;
    }

    /**
     * The status sent on this exchange. Not an exchange attribute: the JDK's server keeps attributes per
     * context, shared by every request in flight, so concurrent requests logged each other's status.
     */
    private static String lastStatus(HttpExchange exchange) {
        int status = exchange.getResponseCode();
        return status < 0 ? "-" : String.valueOf(status);
    }

    private static Map<String, List<String>> jsonHeaders(String requestId) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("x-amzn-RequestId", List.of(requestId));
        return headers;
    }

    /**
     * The request's headers in the usual spelling ({@code Content-Type}), with what API Gateway
     * adds: {@code X-Forwarded-For} ending with the caller's address, {@code X-Forwarded-Proto},
     * {@code X-Forwarded-Port}.
     */
    private static Map<String, List<String>> headers(HttpExchange exchange, RawFront.Peer peer) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : RawFront.headers(exchange)) { // as sent: a tab in a value stays a tab
            if (!field.getKey().equalsIgnoreCase(RawFront.HEADER)) {
                headers.computeIfAbsent(canonical(field.getKey()), k -> new ArrayList<>()).add(field.getValue());
            }
        }
        List<String> forwarded = headers.remove("X-Forwarded-For");
        String chain = forwarded == null || forwarded.isEmpty() ? peer.address() : String.join(", ", forwarded) + ", " + peer.address();
        headers.put("X-Forwarded-For", List.of(chain));
        headers.put("X-Forwarded-Proto", List.of("http"));
        headers.put("X-Forwarded-Port", List.of(String.valueOf(peer.localPort())));
        return headers;
    }

    /**
     * Whether a raw path can name a resource: origin-form ({@code /...}), no empty segment (a trailing
     * slash aside), and every {@code %} followed by two hex digits.
     */
    static boolean resourcePath(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return false;
        }
        String trimmed = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        if (trimmed.contains("//")) {
            return false;
        }
        for (int i = 0; i < trimmed.length(); i++) {
            if (trimmed.charAt(i) == '%' && (i + 2 >= trimmed.length() || Character.digit(trimmed.charAt(i + 1), 16) < 0
                    || Character.digit(trimmed.charAt(i + 2), 16) < 0)) {
                return false;
            }
        }
        return true;
    }

    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    private static Optional<String> header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return Optional.of(entry.getValue().get(entry.getValue().size() - 1));
            }
        }
        return Optional.empty();
    }

    /** The decoded path without a trailing slash ({@code /me/} is {@code /me}). */
    private static String normalise(String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    @Override
    public void close() {
        server.close();
    }
}
