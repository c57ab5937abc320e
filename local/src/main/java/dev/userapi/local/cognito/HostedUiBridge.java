package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.userapi.core.json.Json;
import dev.userapi.local.http.Exchanges;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.RSAPrivateKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hosted UI ({@code /oauth2/authorize}, {@code /oauth2/token}) of cognito-local, passed through
 * with its redirects, plus the one thing it lacks: the OpenID {@code nonce}. Cognito copies the
 * {@code nonce} of the authorize request into the ID token; cognito-local ignores it. This bridge
 * remembers each sign-in's nonce by its {@code state}, follows the sign-in to its code, and puts
 * the nonce into the ID token the token endpoint returns for that code, signing it again with
 * cognito-local's own key (which ships in its npm package), so it verifies against the same JWKS.
 */
final class HostedUiBridge {
    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final URI cognitoLocal;
    private final PrivateKey signingKey;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Expiring> nonceByState = new ConcurrentHashMap<>();
    private final Map<String, Expiring> nonceByCode = new ConcurrentHashMap<>();

    private record Expiring(String nonce, long until) {
        boolean live() {
            return System.currentTimeMillis() < until;
        }
    }

    HostedUiBridge(URI cognitoLocal, Path privateKeyFile) {
        this.cognitoLocal = cognitoLocal;
        this.signingKey = loadKey(privateKeyFile);
    }

    void handle(HttpExchange exchange, byte[] body) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        String method = exchange.getRequestMethod();
        if ("GET".equals(method) && path.equals("/oauth2/authorize") && query != null) {
            Map<String, List<String>> params = Exchanges.query(query);
            String state = first(params, "state");
            String nonce = first(params, "nonce");
            if (state != null && nonce != null) {
                nonceByState.put(state, new Expiring(nonce, System.currentTimeMillis() + LIFETIME.toMillis()));
            }
        }
        HttpResponse<byte[]> response = forward(exchange, method, path + (query == null ? "" : "?" + query), body);
        byte[] answer = response.body();
        if ("POST".equals(method) && path.equals("/oauth2/authorize")) {
            response.headers().firstValue("Location").ifPresent(this::followCode);
        } else if ("POST".equals(method) && path.equals("/oauth2/token") && response.statusCode() == 200) {
            answer = withNonce(Exchanges.query(new String(body, StandardCharsets.UTF_8)), answer);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().firstValue("Content-Type").ifPresent(v -> headers.put("Content-Type", List.of(v)));
        response.headers().firstValue("Location").ifPresent(v -> headers.put("Location", List.of(v)));
        Exchanges.send(exchange, response.statusCode(), headers, answer);
    }

    /** The login form redirected to the callback with a code: remember which sign-in (nonce) it belongs to. */
    private void followCode(String location) {
        String query = URI.create(location).getRawQuery();
        if (query == null) {
            return;
        }
        Map<String, List<String>> params = Exchanges.query(query);
        String code = first(params, "code");
        Expiring nonce = first(params, "state") == null ? null : nonceByState.remove(first(params, "state"));
        if (code != null && nonce != null && nonce.live()) {
            nonceByCode.put(code, nonce);
        }
    }

    private byte[] withNonce(Map<String, List<String>> form, byte[] tokenResponse) throws IOException {
        String code = first(form, "code");
        Expiring nonce = code == null ? null : nonceByCode.remove(code);
        if (nonce == null || !nonce.live()) {
            return tokenResponse;
        }
        ObjectNode json = (ObjectNode) Json.mapper().readTree(tokenResponse);
        String idToken = json.path("id_token").asText("");
        String[] parts = idToken.split("\\.");
        if (parts.length != 3) {
            return tokenResponse;
        }
        ObjectNode claims = (ObjectNode) Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        claims.put("nonce", nonce.nonce());
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        json.put("id_token", parts[0] + "." + payload + "." + sign(parts[0] + "." + payload));
        return Json.write(json).getBytes(StandardCharsets.UTF_8);
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

    private String sign(String signingInput) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(signingKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey loadKey(Path file) {
        try {
            JsonNode jwk = Json.mapper().readTree(Files.readAllBytes(file)).path("jwk");
            Base64.Decoder decoder = Base64.getUrlDecoder();
            return KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateKeySpec(
                    new BigInteger(1, decoder.decode(jwk.path("n").asText())),
                    new BigInteger(1, decoder.decode(jwk.path("d").asText()))));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read cognito-local's signing key from " + file, e);
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
