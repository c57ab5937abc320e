package dev.userapi.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ServiceUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sessions the passwordless sign-ins hand out (issue 18): the API's own AES-GCM envelope around Cognito's session
 * (or around nothing, for the uniform answer to an address that cannot sign in that way), padded to one length, bound
 * to the address it was issued for; and the keyed hashes (fake credential ids, code hashes). Every key is derived
 * from the app client's secret, which the functions read already ({@link CognitoGateway#clientSecret()}), with a
 * purpose string per use: nobody without the secret can open, forge or tell apart the sessions, or compute the fake
 * ids. A client without a secret is refused, 503 (the template's client has one): nothing else the functions know is
 * secret (the pool id is in every token's issuer), so any other key could be computed by anyone.
 */
final class SealedSessions {
    /** Every envelope holds this many bytes of JSON (Cognito's sessions are at most 2048 characters). */
    static final int PAYLOAD = 2304;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Log LOG = Log.of(SealedSessions.class);

    /**
     * What a session holds: the address, the account's Cognito username (null: a uniform answer, nothing to
     * continue), Cognito's session, for a code the API issued itself the code's keyed hash, and when it was issued
     * (epoch ms; 0: not recorded), so that the API ends a fake session when Cognito would end a real one.
     */
    record Sealed(String email, String sub, String cognitoSession, String codeHash, long issuedAt) {
        Sealed(String email, String sub, String cognitoSession, String codeHash) {
            this(email, sub, cognitoSession, codeHash, 0L);
        }
    }

    private final CognitoGateway cognito;
    private final String purpose;

    /** Sessions of one flow ({@code purpose}: its own key, so a session of one flow is nothing to another). */
    SealedSessions(CognitoGateway cognito, String purpose) {
        this.cognito = cognito;
        this.purpose = purpose;
    }

    String seal(Sealed sealed) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("e", sealed.email());
        payload.put("u", sealed.sub());
        payload.put("s", sealed.cognitoSession());
        payload.put("h", sealed.codeHash());
        payload.put("t", sealed.issuedAt());
        byte[] json = Json.write(payload).getBytes(StandardCharsets.UTF_8);
        if (json.length > PAYLOAD) {
            throw new ServiceUnavailableException("The identity provider's session is too long; try again.");
        }
        byte[] padded = new byte[PAYLOAD];
        System.arraycopy(json, 0, padded, 0, json.length);
        java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        try {
            byte[] iv = random(12);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hmac("userapi/session/" + purpose, new byte[0]), "AES"), new GCMParameterSpec(128, iv));
            byte[] sealedBytes = cipher.doFinal(padded);
            byte[] out = new byte[iv.length + sealedBytes.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealedBytes, 0, out, iv.length, sealedBytes.length);
            return b64(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    Optional<Sealed> open(String session) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(session);
            if (raw.length != 12 + PAYLOAD + 16) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(hmac("userapi/session/" + purpose, new byte[0]), "AES"),
                    new GCMParameterSpec(128, raw, 0, 12));
            byte[] plain = cipher.doFinal(raw, 12, raw.length - 12);
            JsonNode payload = Json.readTree(new String(plain, StandardCharsets.UTF_8).trim());
            return Optional.of(new Sealed(payload.path("e").asText(""), text(payload, "u"), text(payload, "s"), text(payload, "h"),
                    payload.path("t").asLong(0L)));
        } catch (GeneralSecurityException | IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** HMAC-SHA256 of {@code data} under the key for {@code purpose}: 32 bytes. */
    byte[] keyedBytes(String purpose, String data) {
        return hmac(purpose, data.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of {@code data} under the key for {@code purpose}, base64url. */
    String keyedHash(String purpose, String data) {
        return b64(hmac(purpose, data.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] hmac(String purpose, byte[] data) {
        try {
            String secret = cognito.clientSecret().orElseThrow(SealedSessions::noSecret);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A client without a secret: the routes refuse to work (503, logged), as with passkeys off, never with a guessable key. */
    private static ServiceUnavailableException noSecret() {
        LOG.warn("the app client has no secret: the passwordless sessions' key would be guessable (template GenerateSecret)");
        return new ServiceUnavailableException("Passwordless sign-in is not configured for this deployment.");
    }

    static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
