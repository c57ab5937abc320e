package dev.userapi.core.email;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * An e-mail change waiting for its code (issue 18): the new address, and the code only as a salted SHA-256 (the code
 * itself is never stored), valid until {@code expiresAt}.
 */
public record PendingEmailChange(String userId, String newEmail, String salt, String codeHash, Instant expiresAt) {
    /** How many digits a code has: 10^8 codes, of which the attempt limits let a guesser try a few dozen a day. */
    public static final int CODE_DIGITS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new random code (decimal digits, {@link #CODE_DIGITS} of them). */
    public static String newCode() {
        StringBuilder code = new StringBuilder(CODE_DIGITS);
        for (int i = 0; i < CODE_DIGITS; i++) {
            code.append(RANDOM.nextInt(10));
        }
        return code.toString();
    }

    /** The pending change for {@code code}, with a fresh salt. */
    public static PendingEmailChange of(String userId, String newEmail, String code, Instant expiresAt) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        String saltHex = HexFormat.of().formatHex(salt);
        return new PendingEmailChange(userId, newEmail, saltHex, hash(saltHex, code), expiresAt);
    }

    /** True if {@code code} is this change's code (compared in constant time). */
    public boolean matches(String code) {
        return MessageDigest.isEqual(hash(salt, code).getBytes(StandardCharsets.UTF_8), codeHash.getBytes(StandardCharsets.UTF_8));
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    private static String hash(String salt, String code) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) ':');
            return HexFormat.of().formatHex(sha.digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
