package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * cognito-local does not store the refresh token of a sign-in finished by
 * {@code RespondToAuthChallenge} (a TOTP code, a new password), so that token can never refresh;
 * on AWS it refreshes like any other. This bridge gives such a sign-in tokens cognito-local does
 * store: once the challenge is answered, it signs the user in again through cognito-local's own
 * authorization-code endpoint (which stores its refresh token), with the password of the sign-in
 * it is finishing (kept in memory, for the challenge's three minutes, by its session), and answers
 * with those tokens.
 */
final class ChallengeRefreshBridge {
    private static final Duration LIFETIME = Duration.ofMinutes(3);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CognitoUpstream upstream;
    private final String poolId;
    private final String clientId;
    private final Map<String, Pending> bySession = new ConcurrentHashMap<>();

    private record Pending(String username, String password, long until) {
    }

    ChallengeRefreshBridge(CognitoUpstream upstream, String poolId, String clientId) {
        this.upstream = upstream;
        this.poolId = poolId;
        this.clientId = clientId;
    }

    /** A password sign-in answered with a challenge: remember its password until the challenge is answered. */
    void challenged(String session, String username, String password) {
        if (session != null && username != null && password != null) {
            bySession.put(session, new Pending(username, password, System.currentTimeMillis() + LIFETIME.toMillis()));
        }
    }

    /** The password of the sign-in a challenge answer belongs to, or the new password it sets. */
    Optional<String> passwordFor(JsonNode respondRequest) {
        JsonNode responses = respondRequest.path("ChallengeResponses");
        if ("NEW_PASSWORD_REQUIRED".equals(respondRequest.path("ChallengeName").asText())) {
            return Optional.ofNullable(responses.path("NEW_PASSWORD").asText(null));
        }
        Pending pending = bySession.remove(respondRequest.path("Session").asText(""));
        return pending == null || pending.until() < System.currentTimeMillis() ? Optional.empty() : Optional.of(pending.password());
    }

    /** Tokens for {@code username} whose refresh token cognito-local stores; empty if the code flow is not available. */
    Optional<ObjectNode> reissue(String username, String password) {
        try {
            JsonNode client = upstream.call("DescribeUserPoolClient", Json.mapper().createObjectNode()
                    .put("UserPoolId", poolId).put("ClientId", clientId)).orThrow().path("UserPoolClient");
            String callback = client.path("CallbackURLs").path(0).asText(null);
            if (callback == null) {
                return Optional.empty();
            }
            String verifier = random();
            Map<String, String> login = new LinkedHashMap<>();
            login.put("response_type", "code");
            login.put("client_id", clientId);
            login.put("redirect_uri", callback);
            login.put("code_challenge", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII))));
            login.put("code_challenge_method", "S256");
            login.put("scope", "openid email profile aws.cognito.signin.user.admin");
            login.put("username", username);
            login.put("password", password);
            HttpResponse<byte[]> authorized = upstream.raw("POST", "/oauth2/authorize", form(login), "application/x-www-form-urlencoded");
            String location = authorized.headers().firstValue("Location").orElse(null);
            if (authorized.statusCode() != 302 || location == null) {
                return Optional.empty();
            }
            String code = null;
            for (String pair : URI.create(location).getRawQuery().split("&")) {
                if (pair.startsWith("code=")) {
                    code = java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                }
            }
            Map<String, String> exchange = new LinkedHashMap<>();
            exchange.put("grant_type", "authorization_code");
            exchange.put("client_id", clientId);
            exchange.put("code", code);
            exchange.put("redirect_uri", callback);
            exchange.put("code_verifier", verifier);
            HttpResponse<byte[]> token = upstream.raw("POST", "/oauth2/token", form(exchange), "application/x-www-form-urlencoded");
            if (token.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode tokens = Json.mapper().readTree(token.body());
            ObjectNode result = Json.mapper().createObjectNode();
            result.put("AccessToken", tokens.path("access_token").asText());
            result.put("IdToken", tokens.path("id_token").asText());
            result.put("RefreshToken", tokens.path("refresh_token").asText());
            result.put("ExpiresIn", tokens.path("expires_in").asInt(3600));
            result.put("TokenType", "Bearer");
            return Optional.of(result);
        } catch (Exception e) {
            System.err.printf("[cognito-compat] could not re-issue a challenge sign-in's tokens: %s%n", e);
            return Optional.empty();
        }
    }

    private static byte[] form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
