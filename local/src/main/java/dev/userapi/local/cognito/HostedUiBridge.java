package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.userapi.core.json.Json;
import dev.userapi.local.http.Exchanges;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hosted UI ({@code /oauth2/authorize}, {@code /oauth2/token}) of cognito-local, passed through
 * with its redirects, plus what it lacks:
 * <ul>
 *   <li>the OpenID {@code nonce}: Cognito copies the authorize request's {@code nonce} into the ID
 *       token; cognito-local ignores it;</li>
 *   <li>the requested scopes: Cognito's tokens carry the scopes the authorize request asked for
 *       that the app client allows ({@code AllowedOAuthScopes}; all of those when it asked for
 *       none), so {@code aws.cognito.signin.user.admin} only when asked for; cognito-local's carry
 *       that scope whatever was asked;</li>
 *   <li>the session claims ({@code origin_jti}, the original {@code auth_time}), also for the
 *       token endpoint's {@code refresh_token} grant.</li>
 * </ul>
 * It remembers each sign-in's nonce and scopes by its {@code state}, follows the sign-in to its
 * code, and rewrites the tokens the token endpoint returns for that code, signing them again with
 * cognito-local's own key ({@link TokenSigner}), so they verify against the same JWKS.
 */
final class HostedUiBridge {
    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final URI cognitoLocal;
    private final CognitoUpstream upstream;
    private final String poolId;
    private final TokenSigner signer;
    private final TokenLedger ledger;
    private final SessionClaims sessions;
    private final AccessTokens tokens;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Expiring> byState = new ConcurrentHashMap<>();
    private final Map<String, Expiring> byCode = new ConcurrentHashMap<>();

    /** What one sign-in asked for (either may be null: not asked). */
    private record Expiring(String nonce, String scope, long until) {
        boolean live() {
            return System.currentTimeMillis() < until;
        }
    }

    private final ClientSecrets clients;

    HostedUiBridge(URI cognitoLocal, CognitoUpstream upstream, String poolId, TokenSigner signer, TokenLedger ledger,
                   SessionClaims sessions, AccessTokens tokens, ClientSecrets clients) {
        this.clients = clients;
        this.cognitoLocal = cognitoLocal;
        this.upstream = upstream;
        this.poolId = poolId;
        this.signer = signer;
        this.ledger = ledger;
        this.sessions = sessions;
        this.tokens = tokens;
    }

    void handle(HttpExchange exchange, byte[] body) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        String method = exchange.getRequestMethod();
        if ("GET".equals(method) && path.equals("/oauth2/authorize") && query != null) {
            Map<String, List<String>> params = Exchanges.query(query);
            String state = first(params, "state");
            if (state != null) {
                byState.put(state, new Expiring(first(params, "nonce"), first(params, "scope"), System.currentTimeMillis() + LIFETIME.toMillis()));
            }
        }
        if ("POST".equals(method) && path.equals("/oauth2/token")) {
            // A client with a secret authenticates (HTTP Basic), as Cognito's token endpoint requires; cognito-local never asks.
            String clientId = first(Exchanges.query(new String(body, StandardCharsets.UTF_8)), "client_id");
            if (!clients.authenticatesAtTokenEndpoint(clientId, exchange.getRequestHeaders().getFirst("Authorization"))) {
                Exchanges.send(exchange, 400, Map.of("Content-Type", List.of("application/json")),
                        "{\"error\":\"invalid_client\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        HttpResponse<byte[]> response = forward(exchange, method, path + (query == null ? "" : "?" + query), body);
        byte[] answer = response.body();
        if ("POST".equals(method) && path.equals("/oauth2/authorize")) {
            response.headers().firstValue("Location").ifPresent(this::followCode);
        } else if ("POST".equals(method) && path.equals("/oauth2/token") && response.statusCode() == 200) {
            answer = rewrite(Exchanges.query(new String(body, StandardCharsets.UTF_8)), answer);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().firstValue("Content-Type").ifPresent(v -> headers.put("Content-Type", List.of(v)));
        response.headers().firstValue("Location").ifPresent(v -> headers.put("Location", List.of(v)));
        Exchanges.send(exchange, response.statusCode(), headers, answer);
    }

    /** The login form redirected to the callback with a code: remember which sign-in (nonce, scopes) it belongs to. */
    private void followCode(String location) {
        String query = URI.create(location).getRawQuery();
        if (query == null) {
            return;
        }
        Map<String, List<String>> params = Exchanges.query(query);
        String code = first(params, "code");
        Expiring asked = first(params, "state") == null ? null : byState.remove(first(params, "state"));
        if (code != null && asked != null && asked.live()) {
            byCode.put(code, asked);
        }
    }

    /** The token endpoint's answer with Cognito's claims: nonce, granted scopes, session. */
    private byte[] rewrite(Map<String, List<String>> form, byte[] tokenResponse) throws IOException {
        if (!(Json.mapper().readTree(tokenResponse) instanceof ObjectNode json)) {
            return tokenResponse;
        }
        String accessToken = json.path("access_token").asText(null);
        if (accessToken == null) {
            return tokenResponse;
        }
        TokenLedger.Session session;
        String nonce = null;
        if ("refresh_token".equals(first(form, "grant_type"))) {
            String refreshToken = first(form, "refresh_token");
            session = refreshToken == null ? null : sessions.sessionFor(accessToken, refreshToken, null, null);
        } else {
            String code = first(form, "code");
            Expiring asked = code == null ? null : byCode.remove(code);
            if (asked != null && !asked.live()) {
                asked = null;
            }
            nonce = asked == null ? null : asked.nonce();
            String granted = granted(first(form, "client_id"), asked == null ? null : asked.scope());
            String refreshToken = json.path("refresh_token").asText(null);
            session = refreshToken == null ? null : sessions.sessionFor(accessToken, null, refreshToken, granted);
            if (session == null) {
                String scope = granted;
                json.put("access_token", signer.rewrite(accessToken, claims -> claims.put("scope", scope)));
            }
        }
        if (session != null) {
            json.put("access_token", sessions.access(accessToken, session));
            json.put("id_token", sessions.id(json.path("id_token").asText(null), session));
        }
        if (nonce != null && json.hasNonNull("id_token")) {
            String value = nonce;
            json.put("id_token", signer.rewrite(json.path("id_token").asText(), claims -> claims.put("nonce", value)));
        }
        JsonNode claims = tokens.claimsOf(json.path("access_token").asText());
        ledger.issued(claims.path("sub").asText(), claims.path("jti").asText(), first(form, "refresh_token") != null
                ? first(form, "refresh_token") : json.path("refresh_token").asText(null));
        return Json.write(json).getBytes(StandardCharsets.UTF_8);
    }

    /** The requested scopes the client allows, in the order asked; all the allowed ones when none were asked for. */
    private String granted(String clientId, String requested) {
        List<String> allowed = new ArrayList<>();
        if (clientId != null) {
            CognitoUpstream.Reply reply = upstream.call("DescribeUserPoolClient", Json.mapper().createObjectNode()
                    .put("UserPoolId", poolId).put("ClientId", clientId));
            reply.body().path("UserPoolClient").path("AllowedOAuthScopes").forEach(scope -> allowed.add(scope.asText()));
        }
        if (requested == null || requested.isBlank()) {
            return String.join(" ", allowed);
        }
        Set<String> granted = new LinkedHashSet<>();
        for (String scope : requested.trim().split("[ +]+")) {
            if (allowed.contains(scope)) {
                granted.add(scope);
            }
        }
        return String.join(" ", granted);
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, String method, String pathAndQuery, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(cognitoLocal.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
            request.header("Content-Type", type);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
