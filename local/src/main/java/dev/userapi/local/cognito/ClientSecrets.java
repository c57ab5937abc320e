package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code SECRET_HASH} as Cognito requires it from an app client that has a secret (developer
 * guide, "Computing secret hash values"): Base64(HMAC-SHA256(key = client secret, message =
 * username + client ID)), in {@code SecretHash} or in the {@code SECRET_HASH} auth parameter or
 * challenge response. Missing: {@code NotAuthorizedException: Client <id> is configured for
 * secret but secret was not received}; wrong: {@code Unable to verify secret hash for client
 * <id>}. cognito-local generates secrets ({@code GenerateSecret}) but never checks them.
 */
final class ClientSecrets {
    private final CognitoUpstream upstream;
    private final CognitoLocalStore store;
    private final String poolId;
    private final Map<String, Optional<String>> secrets = new ConcurrentHashMap<>();

    ClientSecrets(CognitoUpstream upstream, CognitoLocalStore store, String poolId) {
        this.upstream = upstream;
        this.store = store;
        this.poolId = poolId;
    }

    /** Puts the check in front of every operation that takes a secret hash. */
    void guard(Map<String, Operation> operations) {
        for (String name : List.of("SignUp", "ConfirmSignUp", "ForgotPassword", "ConfirmForgotPassword", "ResendConfirmationCode")) {
            wrap(operations, name, request -> {
                check(request.path("ClientId").asText(""), request.path("SecretHash").asText(null),
                        List.of(request.path("Username").asText("")));
            });
        }
        for (String name : List.of("InitiateAuth", "AdminInitiateAuth")) {
            wrap(operations, name, request -> {
                JsonNode parameters = request.path("AuthParameters");
                check(request.path("ClientId").asText(""), parameters.path("SECRET_HASH").asText(null), usernames(parameters));
            });
        }
        for (String name : List.of("RespondToAuthChallenge", "AdminRespondToAuthChallenge")) {
            wrap(operations, name, request -> {
                JsonNode responses = request.path("ChallengeResponses");
                check(request.path("ClientId").asText(""), responses.path("SECRET_HASH").asText(null),
                        List.of(responses.path("USERNAME").asText("")));
            });
        }
    }

    private interface Check {
        void run(ObjectNode request) throws CognitoError;
    }

    private void wrap(Map<String, Operation> operations, String name, Check check) {
        Operation inner = operations.get(name);
        operations.put(name, request -> {
            check.run(request);
            if (inner != null) {
                return inner.handle(request);
            }
            return upstream.call(name, request).orThrow();
        });
    }

    /** The names a hash may be computed over: the USERNAME given, or for a refresh the refresh token's user (username or e-mail). */
    private List<String> usernames(JsonNode parameters) {
        if (parameters.hasNonNull("USERNAME")) {
            return List.of(parameters.path("USERNAME").asText());
        }
        String refreshToken = parameters.path("REFRESH_TOKEN").asText("");
        return store.findByRefreshToken(refreshToken).map(user -> List.of(user.username(), String.valueOf(user.email())))
                .orElse(List.of());
    }

    void check(String clientId, String hash, List<String> usernames) throws CognitoError {
        Optional<String> secret = secretOf(clientId);
        if (secret.isEmpty()) {
            return;
        }
        if (hash == null || hash.isEmpty()) {
            throw CognitoError.notAuthorized("Client " + clientId + " is configured for secret but secret was not received");
        }
        for (String username : usernames) {
            if (MessageDigest.isEqual(hash(secret.get(), username, clientId).getBytes(StandardCharsets.UTF_8),
                    hash.getBytes(StandardCharsets.UTF_8))) {
                return;
            }
        }
        throw CognitoError.notAuthorized("Unable to verify secret hash for client " + clientId);
    }

    static String hash(String secret, String username, String clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<String> secretOf(String clientId) {
        Optional<String> known = secrets.get(clientId);
        if (known != null) {
            return known;
        }
        CognitoUpstream.Reply reply = upstream.call("DescribeUserPoolClient", Json.mapper().createObjectNode()
                .put("UserPoolId", poolId).put("ClientId", clientId));
        if (!reply.ok()) {
            return Optional.empty();
        }
        Optional<String> secret = Optional.ofNullable(reply.body().path("UserPoolClient").path("ClientSecret").asText(null))
                .filter(s -> !s.isEmpty());
        secrets.put(clientId, secret);
        return secret;
    }
}
