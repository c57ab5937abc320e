package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.userapi.core.json.Json;
import dev.userapi.local.http.Exchanges;
import dev.userapi.local.http.LocalHttpServer;
import dev.userapi.local.outbox.Outbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compatibility layer in front of cognito-local: an HTTP endpoint speaking Cognito's JSON
 * protocol ({@code X-Amz-Target: AWSCognitoIdentityProviderService.<Op>}) that the functions use as
 * {@code COGNITO_ENDPOINT}. It forwards every operation to cognito-local, and bridges where
 * cognito-local differs from Cognito (see the bridges, and {@code docs/LOCAL.md}): missing
 * operations are made from ones cognito-local has and from its data, error answers are normalised
 * to AWS's, and every code or temporary password goes to the local outbox. The functions' code is
 * the same as on AWS; only the endpoint differs.
 */
public final class CognitoCompat implements AutoCloseable {
    private static final int MAX_BODY = 1024 * 1024;
    /** Local only: moves the clock of the layer's time rules (lockouts, code lifetimes), for tests. */
    static final String CLOCK_PATH = "/_local/clock";

    /** What the layer needs to know about the pool, from the template and cognito-local. */
    public record Settings(
            int port,
            URI cognitoLocal,
            Path cognitoWorkDir,
            String poolId,
            String clientId,
            Map<String, Object> poolPolicies,
            boolean autoVerifyEmail,
            boolean preventUserExistenceErrors,
            Outbox outbox,
            Path cognitoLocalKey,
            boolean verifyEmailBeforeUpdate,
            Set<String> clientWriteAttributes,
            Passkeys passkeys) {
    }

    /** The pool's passkey settings: {@code rpId} null when passkeys are off (no {@code WebAuthnRelyingPartyID}). */
    public record Passkeys(String rpId, boolean userVerificationRequired, Set<String> origins) {
    }

    private final CognitoUpstream upstream;
    private final HostedUiBridge hostedUi;
    private final AdjustableClock clock = new AdjustableClock();
    private final Map<String, Operation> operations = new HashMap<>();
    private final LocalHttpServer server;

    public CognitoCompat(Settings settings) {
        this.upstream = new CognitoUpstream(settings.cognitoLocal());
        CognitoLocalStore store = new CognitoLocalStore(settings.cognitoWorkDir(), settings.poolId());
        PasswordPolicy policy = PasswordPolicy.from(settings.poolPolicies());
        TokenLedger ledger = new TokenLedger();
        AccessTokens tokens = new AccessTokens(settings.cognitoLocal().resolve("/" + settings.poolId() + "/.well-known/jwks.json"),
                ledger, Clock.systemUTC());
        TokenSigner signer = new TokenSigner(settings.cognitoLocalKey());
        SessionClaims sessions = new SessionClaims(ledger, signer, tokens);
        ClientSecrets clients = new ClientSecrets(upstream, store, settings.poolId());
        this.hostedUi = new HostedUiBridge(settings.cognitoLocal(), upstream, settings.poolId(), signer, ledger, sessions, tokens, clients);
        Set<String> resetRequired = ConcurrentHashMap.newKeySet();
        new CodeDeliveryBridge(upstream, store, policy, settings.outbox(), settings.poolId(), settings.clientId(),
                settings.autoVerifyEmail(), settings.preventUserExistenceErrors(), resetRequired, new CodeLimits(clock)).register(operations);
        WebAuthnBridge passkeys = new WebAuthnBridge(settings.passkeys(), tokens, store, clock,
                settings.cognitoWorkDir().resolve(".cognito").resolve("webauthn-" + settings.poolId() + ".json"));
        passkeys.register(operations);
        new SignInBridge(upstream, store, policy, tokens, ledger, settings.clientId(), resetRequired,
                new ChallengeRefreshBridge(upstream, settings.poolId(), settings.clientId()), new Lockout(clock), sessions)
                .passkeys(passkeys).emailCodes(new EmailOtpBridge(store, settings.outbox(), clock)).register(operations);
        new SignOutBridge(upstream, store, tokens, ledger, settings.clientId()).register(operations);
        new AttributeVerificationBridge(upstream, store, tokens, settings.outbox(), settings.poolId(), settings.verifyEmailBeforeUpdate(),
                settings.clientWriteAttributes(), new CodeLimits(clock)).register(operations);
        clients.guard(operations);
        this.server = LocalHttpServer.start("the Cognito compatibility layer", InetAddress.getLoopbackAddress(), settings.port(), 32,
                this::handle, "pass --cognito-proxy-port <free port>");
    }

    public int port() {
        return server.port();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] body = Exchanges.readBody(exchange, MAX_BODY);
            if (body == null) {
                reply(exchange, 413, new CognitoError("InvalidParameterException", "Request too large").toJson());
                return;
            }
            if (exchange.getRequestURI().getRawPath().equals(CLOCK_PATH) && "POST".equals(exchange.getRequestMethod())) {
                clock(exchange, body);
                return;
            }
            if (exchange.getRequestURI().getRawPath().startsWith("/oauth2/")) {
                hostedUi.handle(exchange, body);
                return;
            }
            if (target == null || !"POST".equals(exchange.getRequestMethod())) {
                passThrough(exchange, body);
                return;
            }
            String operation = target.substring(target.indexOf('.') + 1);
            Operation bridge = operations.get(operation);
            if (bridge == null) {
                forward(exchange, operation, body);
                return;
            }
            ObjectNode request;
            try {
                JsonNode parsed = Json.mapper().readTree(body);
                if (!(parsed instanceof ObjectNode object)) {
                    throw new IOException("not an object");
                }
                request = object;
            } catch (IOException e) {
                reply(exchange, 400, new CognitoError("SerializationException", "The request body is not a JSON object").toJson());
                return;
            }
            try {
                reply(exchange, 200, Json.write(bridge.handle(request)));
            } catch (CognitoError e) {
                reply(exchange, e.status(), e.toJson());
            } catch (RuntimeException e) {
                System.err.printf("[cognito-compat] %s failed: %s%n", operation, e);
                reply(exchange, 500, new CognitoError("InternalErrorException", "The local Cognito layer failed: " + e.getMessage()).toJson());
            }
        }
    }

    /** An operation without a bridge: cognito-local answers it, except that "unsupported" becomes a clear, non-retried 400. */
    private void forward(HttpExchange exchange, String operation, byte[] body) throws IOException {
        CognitoUpstream.Reply reply = upstream.send(operation, body);
        if (reply.status() >= 500 && reply.errorType().equals("Unsupported")) {
            reply(exchange, 400, new CognitoError("UnsupportedOperationException",
                    "cognito-local does not implement " + operation + " (local stack; see docs/LOCAL.md)").toJson());
            return;
        }
        reply(exchange, reply.status(), Json.write(reply.body()));
    }

    /** {@code {"freeze": true}}, {@code {"advanceSeconds": N}}, {@code {"release": true}}, in that order when combined. */
    private void clock(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode request;
        try {
            request = Json.mapper().readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            reply(exchange, 400, new CognitoError("SerializationException", "The request body is not a JSON object").toJson());
            return;
        }
        if (request.path("freeze").asBoolean(false)) {
            clock.freeze();
        }
        if (request.has("advanceSeconds")) {
            clock.advance(java.time.Duration.ofSeconds(request.path("advanceSeconds").asLong()));
        }
        if (request.path("release").asBoolean(false)) {
            clock.release();
        }
        reply(exchange, 200, Json.write(Json.mapper().createObjectNode().put("now", clock.instant().toString())));
    }

    private void passThrough(HttpExchange exchange, byte[] body) throws IOException {
        String pathAndQuery = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        try {
            HttpResponse<byte[]> response = upstream.raw(exchange.getRequestMethod(), pathAndQuery, body,
                    exchange.getRequestHeaders().getFirst("Content-Type"));
            String type = response.headers().firstValue("Content-Type").orElse("application/json");
            Exchanges.send(exchange, response.statusCode(), Map.of("Content-Type", List.of(type)), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 503, "{}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Content-Type", List.of("application/x-amz-json-1.1"));
        if (status != 200) {
            JsonNode error = Json.mapper().readTree(json);
            String type = error.path("__type").asText("");
            if (!type.isEmpty()) {
                headers.put("x-amzn-ErrorType", List.of(type + ":"));
            }
        }
        Exchanges.send(exchange, status, headers, json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
    }
}
