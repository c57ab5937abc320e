package dev.userapi.local.fuzz;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.Cors;
import dev.userapi.core.log.Log;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.OAuthStateRepository;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserRepository;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.AuthService;
import dev.userapi.identity.CognitoGateway;
import dev.userapi.identity.OAuthConfig;
import dev.userapi.identity.OAuthService;
import dev.userapi.identity.Provisioning;
import dev.userapi.identity.RoleMirror;
import dev.userapi.identity.UniformTiming;
import dev.userapi.local.ProjectLayout;
import dev.userapi.local.template.ApiEvent;
import dev.userapi.local.template.FunctionDefinition;
import dev.userapi.local.template.LocalResources;
import dev.userapi.local.template.SamTemplate;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzz target for request handling on every route of {@code template.yaml} (docs/SECURITY.md items 15,
 * 18, 25): each route's real handler, wired with the real services and repositories as in
 * production, with Cognito and DynamoDB answered by the fuzzer ({@link FuzzedAws}: realistic
 * successes, or the errors those services really send). Requests carry fuzzed bodies (raw bytes, or
 * JSON objects built from every field name the API knows with values of every type), content types,
 * {@code If-Match}, query and path parameters, and authorizer contexts. The property: every answer is
 * a 2xx, a 4xx or a 503 — never a 500 or another 5xx — and every error is problem+json whose
 * {@code status} matches and whose body holds no exception or SDK text.
 *
 * <p>The test command replays the committed corpus and fuzzes briefly (see the surefire {@code fuzz}
 * execution); {@code scripts/fuzz.sh} fuzzes for longer.
 *
 * <p>Inputs are keyed by route, not by position: an input starts with the route's name ({@code "GET /me"}, ISO-8859-1)
 * and ends with one byte, the name's length; the bytes between decide the request and the AWS answers. Adding a route
 * therefore leaves every other route's committed inputs aimed where they were. (A name that is no route, as the
 * fuzzer's mutations make, picks a route by the name's hash.) The corpus committed before this format was migrated
 * input by input: the route its position chose then (of the template's 117 routes) became its name and the bytes
 * between are the same, so each input still sends the same request to the same route.
 */
class EveryRouteFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One route of the template and its handler. */
    private record Route(String functionId, String method, String resource, boolean protectedRoute,
                         RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {
        /** What an input names the route by: method and resource, {@code "GET /me"}. */
        String name() {
            return method + " " + resource;
        }
    }

    private static final List<Route> ROUTES = new ArrayList<>();
    private static final Map<String, Route> BY_NAME = new HashMap<>();

    private static final String[] FIELDS = {"email", "password", "credential", "name", "code", "session", "newPassword", "currentPassword",
            "refreshToken", "locale", "picture", "phoneNumber", "roles", "status", "sub", "version", "email_verified", "id"};
    private static final String[] PLAUSIBLE = {"ada@example.com", "Corr3ct-Horse-Battery!", "123456", "en-GB", "https://img.example/a.png",
            "+14155550123", "user", "admin", "Ada", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", " ADA@EXAMPLE.COM ", "", "null"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8", "application/JSON",
            "text/plain", "", "application/json; charset=latin1", "multipart/form-data; boundary=x"};
    private static final String[] QUERY_NAMES = {"limit", "cursor", "email", "role", "status", "sub", "x", "redirect", "code", "state",
            "error"};

    /** What the functions logged during the current execution (shown with a finding; never printed otherwise). */
    private static final java.io.ByteArrayOutputStream LOGGED = new java.io.ByteArrayOutputStream();

    static {
        Log.redirect(new PrintStream(LOGGED, true, StandardCharsets.UTF_8));
        AppConfig config = AppConfig.from(Map.of("AWS_REGION", "us-east-1", "TABLE_NAME", "users", "ROLES", "user,admin",
                "ADMIN_EMAIL", "admin@example.com"));
        Clock clock = Clock.systemUTC();
        CognitoGateway gateway = new CognitoGateway(FuzzedAws.cognito(), "us-east-1_pool", "client");
        var db = FuzzedAws.dynamoDb();
        UserRepository users = new UserRepository(db, "users", config.roles(), clock);
        SessionRepository sessions = new SessionRepository(db, "users");
        Provisioning provisioning = new Provisioning(users, config, clock);
        RoleMirror mirror = new RoleMirror(gateway, users, config.roles());
        var webhooks = new dev.userapi.webhooks.WebhookService(new dev.userapi.webhooks.delivery.WebhookRepository(db, "users", clock),
                // no DNS: a fuzzed host name resolves to nothing, so the answer never depends on the network
                new dev.userapi.webhooks.delivery.AddressGuard(false, host -> {
                    throw new java.net.UnknownHostException(host);
                }),
                () -> new dev.userapi.webhooks.delivery.SecretCipher() {
                    @Override
                    public String encrypt(String webhookId, String secret) {
                        return "sealed:" + secret;
                    }

                    @Override
                    public String decrypt(String webhookId, String ciphertext) {
                        return ciphertext.substring("sealed:".length());
                    }
                }, () -> (message, delay) -> { }, new AuditRepository(db, "users"), clock);
        Map<Class<?>, Object> services = Map.of(
                dev.userapi.identity.OrgService.class, new dev.userapi.identity.OrgService(new dev.userapi.core.org.OrgRepository(db, "users"),
                        users, new AuditRepository(db, "users"), (to, kind, subject, text, code) -> { }, clock),
                dev.userapi.webhooks.WebhookService.class, webhooks,
                AuthService.class, new AuthService(gateway, users, sessions, provisioning, new UniformTiming(Duration.ZERO), clock),
                AccountService.class, new AccountService(gateway, users, sessions, provisioning, "User API"),
                AdminService.class, new AdminService(gateway, users, sessions, new AuditRepository(db, "users"), provisioning, mirror,
                        config, clock),
                Cors.class, new Cors(List.of("https://app.example.com")),
                dev.userapi.identity.EmailCodeService.class, new dev.userapi.identity.EmailCodeService(gateway,
                        new dev.userapi.identity.SignIn(gateway, users, sessions, provisioning, clock), dev.userapi.identity.Activity.NONE,
                        new UniformTiming(Duration.ZERO), new dev.userapi.core.attempts.AttemptLimiter(new dev.userapi.core.attempts.MemoryAttemptStore(),
                                dev.userapi.core.attempts.AttemptPolicy.STANDARD, clock), (to, kind, subject, text, code) -> { }, clock),
                dev.userapi.identity.PasskeyService.class, new dev.userapi.identity.PasskeyService(gateway,
                        new dev.userapi.identity.SignIn(gateway, users, sessions, provisioning, clock), dev.userapi.identity.Activity.NONE,
                        new UniformTiming(Duration.ZERO), clock, Duration.ofMinutes(5), "localhost", "preferred", users.passkeyNames()),
                dev.userapi.identity.EmailChangeService.class, new dev.userapi.identity.EmailChangeService(gateway, users,
                        new dev.userapi.core.email.EmailChangeRepository(db, "users"), (to, kind, subject, text, code) -> { },
                        new dev.userapi.core.attempts.AttemptLimiter(new dev.userapi.core.attempts.MemoryAttemptStore(),
                                dev.userapi.core.attempts.AttemptPolicy.STANDARD, clock), new UniformTiming(Duration.ZERO),
                        dev.userapi.identity.Activity.NONE, clock),
                OAuthService.class, new OAuthService(new OAuthConfig(Optional.of(URI.create("https://auth.example.com")),
                        URI.create("https://api.example.com/auth/oauth/callback"), "client", List.of("https://app.example.com"),
                        Duration.ofMinutes(10)), new OAuthStateRepository(db, "users"), FuzzedAws.idTokens(),
                        new AuthService(gateway, users, sessions, provisioning, new UniformTiming(Duration.ZERO), clock),
                        FuzzedAws.http(), clock));

        for (FunctionDefinition function : template().functions()) {
            for (ApiEvent event : function.apiEvents()) {
                ROUTES.add(new Route(function.logicalId(), event.method(), event.path(), event.authorizer().isPresent(),
                        handler(function.handlerClass(), services)));
            }
        }
        ROUTES.forEach(r -> BY_NAME.put(r.name(), r));
        if (ROUTES.size() < 30) {
            throw new IllegalStateException("expected every route of template.yaml, found " + ROUTES.size());
        }
    }

    private static SamTemplate template() {
        LocalResources physical = new LocalResources().put("UsersTable", "users").put("UserPool", "pool")
                .put("UserPoolClient", "client").put("Api", "api");
        SamTemplate template = SamTemplate.load(new ProjectLayout(ProjectLayout.findRoot()).template(), Map.of(),
                Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "123456789012", "AWS::StackName", "fuzz",
                        "AWS::Partition", "aws", "AWS::URLSuffix", "amazonaws.com"), physical);
        template.logicalIdsOfType(SamTemplate.FUNCTION).forEach(id -> physical.put(id, id));
        dev.userapi.local.events.LocalEvents.nameResources(template, physical, "us-east-1", "123456789012");
        template.logicalIdsOfType("AWS::Serverless::LayerVersion").forEach(id -> physical.put(id, id));
        return template;
    }

    /** The handler through its test constructor (a service and {@link Cors}, or {@link Cors} alone). */
    @SuppressWarnings("unchecked")
    private static RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler(String className,
                                                                                                   Map<Class<?>, Object> services) {
        try {
            for (Constructor<?> constructor : Class.forName(className).getDeclaredConstructors()) {
                Class<?>[] types = constructor.getParameterTypes();
                if (types.length > 0 && java.util.Arrays.stream(types).allMatch(services::containsKey)) {
                    constructor.setAccessible(true);
                    Object[] args = java.util.Arrays.stream(types).map(services::get).toArray();
                    return (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) constructor.newInstance(args);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + className, e);
        }
        throw new IllegalStateException(className + " has no constructor taking its services");
    }

    @FuzzTest(maxExecutions = 5_000)
    @DictionaryEntries({"{\"email\":", "\"password\"", "\"roles\":[", "\"name\":null", "application/json", "\"*\"", "\"1\"",
            "limit", "cursor", "\\u0000", "\\ud800", "@example.com", "ENABLED", "DISABLED"})
    void everyRoute_answers2xx4xxOr503ProblemJson_neverA500(FuzzedDataProvider data) {
        LOGGED.reset();
        Route route = route(data);
        APIGatewayProxyRequestEvent event = event(route, data);
        FuzzedAws.use(data);
        APIGatewayProxyResponseEvent response = route.handler().handleRequest(event, null);
        check(route, event, response);
    }

    /**
     * The route an input names: its last byte is the name's length, the name ({@code "GET /me"}) its first bytes; a
     * name that is no route (the fuzzer's mutations) picks one by the name's hash.
     */
    private static Route route(FuzzedDataProvider data) {
        String name = new String(data.consumeBytes(data.consumeInt(0, 255)), StandardCharsets.ISO_8859_1);
        return BY_NAME.getOrDefault(name, ROUTES.get(Math.floorMod(name.hashCode(), ROUTES.size())));
    }

    private static APIGatewayProxyRequestEvent event(Route route, FuzzedDataProvider data) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", data.consumeBoolean() ? "application/json" : data.pickValue(CONTENT_TYPES));
        if (data.consumeBoolean()) {
            headers.put("Origin", data.consumeBoolean() ? "https://app.example.com" : data.consumeString(40));
        }
        if (data.consumeBoolean()) {
            headers.put("If-Match", data.consumeBoolean() ? "\"" + data.consumeInt(0, 6) + "\"" : data.consumeString(30));
        }
        if (data.consumeBoolean()) {
            headers.put(data.consumeBoolean() ? "authorization" : "Authorization",
                    data.consumeBoolean() ? "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln" : data.consumeString(60));
        }
        if (data.consumeBoolean()) {
            headers.put("Cookie", data.consumeBoolean() ? "__Host-oauth_binding=" + FuzzedAws.BINDING : data.consumeString(60));
        }
        Map<String, String> query = null;
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            query = query == null ? new HashMap<>() : query;
            query.put(data.pickValue(QUERY_NAMES), data.consumeBoolean() ? data.pickValue(new String[] {"10", "0", "101", "user", "admin",
                    "ENABLED", "a@", "e30", "", "https://app.example.com/x", "https://evil.example/"}) : data.consumeString(80));
        }
        Map<String, String> path = route.resource().contains("{id}")
                ? Map.of("id", data.consumeBoolean() ? data.pickValue(new String[] {FuzzedAws.SUB, FuzzedAws.OTHER}) : data.consumeString(70))
                : null;
        var identity = new APIGatewayProxyRequestEvent.RequestIdentity().withSourceIp("203.0.113.7").withUserAgent(data.consumeString(40));
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("fuzz").withIdentity(identity)
                .withResourcePath(route.resource()).withHttpMethod(route.method()).withStage("test");
        if (route.protectedRoute() && data.consumeInt(0, 9) > 0) {
            Map<String, Object> authorizer = new HashMap<>();
            String sub = data.consumeInt(0, 5) > 0 ? data.pickValue(new String[] {FuzzedAws.SUB, FuzzedAws.OTHER}) : data.consumeString(40);
            authorizer.put("principalId", sub);
            authorizer.put("sub", sub);
            authorizer.put("username", sub);
            authorizer.put("roles", data.consumeBoolean() ? data.pickValue(new String[] {"user", "admin,user", "", "admin"})
                    : data.consumeString(30));
            context.setAuthorizer(authorizer);
        }
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod(route.method())
                .withResource(route.resource()).withPath(route.resource()).withHeaders(headers).withQueryStringParameters(query)
                .withPathParameters(path).withRequestContext(context);
        switch (data.consumeInt(0, 3)) {
            case 0 -> { /* no body */ }
            case 1 -> event.setBody(data.consumeString(600));
            case 2 -> {
                event.setBody(Base64.getEncoder().encodeToString(data.consumeBytes(400)));
                event.setIsBase64Encoded(true);
            }
            default -> event.setBody(jsonBody(data).toString());
        }
        return event;
    }

    /** A JSON object of known field names with values of every type. */
    private static ObjectNode jsonBody(FuzzedDataProvider data) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode body = f.objectNode();
        for (int i = data.consumeInt(0, 5); i > 0; i--) {
            String name = data.consumeInt(0, 9) > 0 ? data.pickValue(FIELDS) : data.consumeString(12);
            switch (data.consumeInt(0, 6)) {
                case 0 -> body.putNull(name);
                case 1 -> body.put(name, data.consumeLong());
                case 2 -> body.put(name, data.consumeBoolean());
                case 3 -> {
                    ArrayNode array = body.putArray(name);
                    for (int j = data.consumeInt(0, 3); j > 0; j--) {
                        array.add(data.consumeBoolean() ? data.pickValue(new String[] {"user", "admin", "root"}) : data.consumeString(20));
                    }
                }
                case 4 -> body.put(name, data.consumeString(300));
                default -> body.put(name, data.pickValue(PLAUSIBLE));
            }
        }
        return body;
    }

    private static final Set<Integer> SUCCESSES = Set.of(200, 201, 202, 204, 302);

    private static void check(Route route, APIGatewayProxyRequestEvent event, APIGatewayProxyResponseEvent response) {
        int status = response.getStatusCode();
        String where = route.method() + " " + route.resource() + " answered " + status + " " + response.getBody()
                + "\n  to " + event.getHeaders() + " query " + event.getQueryStringParameters() + " path " + event.getPathParameters()
                + " authorizer " + (event.getRequestContext().getAuthorizer()) + " body " + event.getBody()
                + "\n  logged: " + LOGGED.toString(StandardCharsets.UTF_8);
        if (SUCCESSES.contains(status)) {
            return;
        }
        if (!(status >= 400 && status < 500) && status != 503) {
            throw new AssertionError("not a 2xx, a 4xx or a 503: " + where);
        }
        String type = response.getHeaders().get("Content-Type");
        if (!"application/problem+json".equals(type)) {
            throw new AssertionError("an error that is not problem+json: " + where);
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(response.getBody().getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new AssertionError("a problem body that is not JSON: " + where, e);
        }
        if (problem.path("status").asInt() != status || problem.path("code").asText().isEmpty()) {
            throw new AssertionError("a problem whose status or code is wrong: " + where);
        }
        if (response.getBody().contains("Exception") || response.getBody().contains("fuzzer") || response.getBody().contains("software.amazon")) {
            throw new AssertionError("exception or SDK text in a body: " + where);
        }
        if (status == 429 && response.getHeaders().get("Retry-After") == null) {
            throw new AssertionError("a 429 without Retry-After: " + where);
        }
    }
}
