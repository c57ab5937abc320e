package dev.userapi.core.org;

import java.security.SecureRandom;
import java.util.Base64;

/** Invitation tokens: 256 random bits, base64url (43 characters); only their SHA-256 is stored. */
public final class OrgTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OrgTokens() {
    }

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hex SHA-256 of {@code token}, as the items hold it. */
    public static String hash(String token) {
        return OrgItems.tokenHash(token);
    }
}
