package dev.userapi.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import dev.userapi.core.problem.ServiceUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The claims of a token that Cognito has just handed to us over TLS (login, refresh): read, not
 * verified, because it did not come from a client. Tokens from clients go through the authorizer.
 */
public record TokenClaims(String sub, String username, long issuedAt, String originJti) {

    public static TokenClaims of(String cognitoIssuedToken) {
        try {
            String[] parts = cognitoIssuedToken.split("\\.");
            JsonNode payload = Json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            String sub = payload.path("sub").asText(null);
            if (sub == null || sub.isEmpty()) {
                throw new IllegalArgumentException("no sub");
            }
            return new TokenClaims(sub, payload.path("username").asText(sub), payload.path("iat").asLong(0),
                    payload.path("origin_jti").isTextual() ? payload.path("origin_jti").asText() : null);
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ServiceUnavailableException("The identity provider returned an unreadable token.", e);
        }
    }
}
