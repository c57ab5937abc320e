package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the access token of the operations that act as the user ({@code GetUser},
 * {@code ChangePassword}, {@code GlobalSignOut}...) as Cognito does: signed by the pool's key,
 * not expired, an access token, not revoked. cognito-local only decodes it, so without this an
 * expired, forged or signed-out token would still work locally.
 */
final class AccessTokens {
    /** The claims the compatibility layer needs from a valid access token. */
    record AccessToken(String sub, String username, String clientId, String jti) {
    }

    private final URI jwksUrl;
    private final TokenLedger ledger;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    AccessTokens(URI jwksUrl, TokenLedger ledger, Clock clock) {
        this.jwksUrl = jwksUrl;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** The scope Cognito requires of an access token for the user's own operations ({@code GetUser}, {@code ChangePassword}...). */
    static final String SELF_SERVICE_SCOPE = "aws.cognito.signin.user.admin";

    /** {@link #verify}, and the token must carry {@link #SELF_SERVICE_SCOPE}, as Cognito's self-service operations require. */
    AccessToken verifySelfService(String token) throws CognitoError {
        AccessToken verified = verify(token);
        if (!java.util.Arrays.asList(claimsOf(token).path("scope").asText("").split(" ")).contains(SELF_SERVICE_SCOPE)) {
            throw CognitoError.notAuthorized("Access Token does not have required scopes");
        }
        return verified;
    }

    AccessToken verify(String token) throws CognitoError {
        JsonNode claims = verifiedClaims(token);
        if (!"access".equals(claims.path("token_use").asText())) {
            throw CognitoError.notAuthorized("Invalid Access Token");
        }
        if (claims.path("exp").asLong(0) <= clock.instant().getEpochSecond()) {
            throw CognitoError.notAuthorized("Access Token has expired");
        }
        String jti = claims.path("jti").asText("");
        if (ledger.isRevoked(jti) || ledger.isRevokedOrigin(claims.path("origin_jti").asText(null))) {
            throw CognitoError.notAuthorized("Access Token has been revoked");
        }
        return new AccessToken(claims.path("sub").asText(), claims.path("username").asText(), claims.path("client_id").asText(), jti);
    }

    /** The claims of a token cognito-local just issued (no verification needed: it came from cognito-local itself). */
    JsonNode claimsOf(String token) {
        try {
            String[] parts = token.split("\\.");
            return mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | RuntimeException e) {
            return mapper.createObjectNode();
        }
    }

    private JsonNode verifiedClaims(String token) throws CognitoError {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) {
            throw CognitoError.notAuthorized("Invalid Access Token");
        }
        try {
            JsonNode header = mapper.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                throw CognitoError.notAuthorized("Invalid Access Token");
            }
            PublicKey key = key(header.path("kid").asText());
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw CognitoError.notAuthorized("Invalid Access Token");
            }
            return mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw CognitoError.notAuthorized("Invalid Access Token");
        }
    }

    private PublicKey key(String kid) throws CognitoError, IOException, GeneralSecurityException {
        PublicKey key = keys.get(kid);
        if (key != null) {
            return key;
        }
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(jwksUrl).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        for (JsonNode jwk : mapper.readTree(response.body()).path("keys")) {
            if ("RSA".equals(jwk.path("kty").asText())) {
                BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText()));
                BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asText()));
                keys.put(jwk.path("kid").asText(), KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
            }
        }
        key = keys.get(kid);
        if (key == null) {
            throw CognitoError.notAuthorized("Invalid Access Token");
        }
        return key;
    }
}
