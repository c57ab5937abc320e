package dev.userapi.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cognito's {@code SECRET_HASH} for an app client with a secret (developer guide, "Computing secret
 * hash values"): Base64(HMAC-SHA256(key = client secret, message = username + client ID)). The
 * username is the one the call names: the e-mail for sign-up, sign-in and codes; for a refresh,
 * the user's Cognito username, which in this pool (e-mail as a username attribute) is the
 * {@code sub}.
 */
public final class SecretHash {
    private SecretHash() {
    }

    public static String of(String clientSecret, String username, String clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
