package dev.userapi.e2e.client;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** RFC 6238 TOTP codes (SHA-1, 6 digits, 30 s), as an authenticator app computes them. */
public final class Totp {
    private Totp() {
    }

    public static String code(String base32Secret, long epochSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(base32(base32Secret), "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(epochSeconds / 30).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String now(String base32Secret) {
        return code(base32Secret, System.currentTimeMillis() / 1000);
    }

    /** A code that belongs to no nearby time step. */
    public static String wrong(String base32Secret) {
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 1_000_000; i++) {
            String candidate = String.format(Locale.ROOT, "%06d", i);
            boolean near = false;
            for (int step = -3; step <= 3 && !near; step++) {
                near = candidate.equals(code(base32Secret, now + step * 30L));
            }
            if (!near) {
                return candidate;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static byte[] base32(String secret) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        String clean = secret.replace("=", "").toUpperCase(Locale.ROOT);
        ByteBuffer out = ByteBuffer.allocate(clean.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char c : clean.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }
}
