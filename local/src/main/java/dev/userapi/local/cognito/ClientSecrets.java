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
 *
 * <p>Also what cognito-local never checks about a client: its {@code ExplicitAuthFlows} (a flow the
 * client does not allow: {@code InvalidParameterException: <FLOW> flow not enabled for this
 * client}; without any listed, Cognito's default of refresh, SRP and custom), the
 * {@code ClientSecret} of {@code RevokeToken} ({@code UnauthorizedException: Invalid client or
 * secret}) and HTTP Basic client authentication at the hosted UI's token endpoint.
 */
final class ClientSecrets {
    private final CognitoUpstream upstream;
    private final CognitoLocalStore store;
    private final String poolId;
    private final Map<String, Optional<JsonNode>> clients = new ConcurrentHashMap<>();

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
                checkFlow(request.path("ClientId").asText(""), request.path("AuthFlow").asText(""));
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
        wrap(operations, "RevokeToken", request -> {
            Optional<String> secret = secretOf(request.path("ClientId").asText(""));
            if (secret.isPresent() && !MessageDigest.isEqual(secret.get().getBytes(StandardCharsets.UTF_8),
                    request.path("ClientSecret").asText("").getBytes(StandardCharsets.UTF_8))) {
                throw new CognitoError("UnauthorizedException", "Invalid client or secret");
            }
        });
    }

    /** The flow must be one the client allows (Cognito's {@code ExplicitAuthFlows}; {@code ADMIN_NO_SRP_AUTH} is the old name). */
    void checkFlow(String clientId, String flow) throws CognitoError {
        Optional<JsonNode> client = clientOf(clientId);
        if (client.isEmpty()) {
            return; // an unknown client: cognito-local answers that
        }
        List<String> allowed = new java.util.ArrayList<>();
        client.get().path("ExplicitAuthFlows").forEach(f -> allowed.add(f.asText()));
        if (allowed.isEmpty()) {
            allowed.addAll(List.of("ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"));
        }
        String needed = switch (flow) {
            case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN" -> "ALLOW_REFRESH_TOKEN_AUTH";
            case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH" -> "ALLOW_ADMIN_USER_PASSWORD_AUTH";
            default -> "ALLOW_" + flow;
        };
        if (!allowed.contains(needed) && !(needed.equals("ALLOW_ADMIN_USER_PASSWORD_AUTH") && allowed.contains("ADMIN_NO_SRP_AUTH"))) {
            throw new CognitoError("InvalidParameterException", flow + " flow not enabled for this client");
        }
    }

    /**
     * HTTP Basic client authentication at the token endpoint, as Cognito requires it of a client with
     * a secret: true when the client has none, or when the header carries its id and secret.
     */
    boolean authenticatesAtTokenEndpoint(String clientId, String authorization) {
        Optional<String> secret = secretOf(clientId == null ? "" : clientId);
        if (secret.isEmpty()) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String id = java.net.URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
        String given = java.net.URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
        return id.equals(clientId) && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), secret.get().getBytes(StandardCharsets.UTF_8));
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

    /** The names a hash may be computed over: the USERNAME given, or for a refresh the refresh token's user's username (here the sub). */
    private List<String> usernames(JsonNode parameters) {
        if (parameters.hasNonNull("USERNAME")) {
            return List.of(parameters.path("USERNAME").asText());
        }
        String refreshToken = parameters.path("REFRESH_TOKEN").asText("");
        return store.findByRefreshToken(refreshToken).map(user -> List.of(user.username())) // the username (the sub), never the e-mail
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
        return clientOf(clientId).map(c -> c.path("ClientSecret").asText("")).filter(v -> !v.isEmpty());
    }

    /** The client as cognito-local describes it (secret, flows), kept once known; empty for an unknown client. */
    private Optional<JsonNode> clientOf(String clientId) {
        Optional<JsonNode> known = clients.get(clientId);
        if (known != null) {
            return known;
        }
        CognitoUpstream.Reply reply = upstream.call("DescribeUserPoolClient", Json.mapper().createObjectNode()
                .put("UserPoolId", poolId).put("ClientId", clientId));
        if (!reply.ok()) {
            return Optional.empty();
        }
        Optional<JsonNode> client = Optional.of(reply.body().path("UserPoolClient"));
        clients.put(clientId, client);
        return client;
    }
}
