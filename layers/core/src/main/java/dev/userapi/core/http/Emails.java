package dev.userapi.core.http;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** E-mail addresses are case-insensitive and trimmed; the stored and returned form is lower case. */
public final class Emails {
    public static final int MAX_LENGTH = 254;

    private static final Pattern ADDRESS = Pattern.compile(
            "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private Emails() {
    }

    /** The canonical form of an address, or empty if it is not one. */
    public static Optional<String> normalize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String email = raw.strip().toLowerCase(Locale.ROOT);
        if (email.isEmpty() || email.length() > MAX_LENGTH || email.indexOf('@') > 64) {
            return Optional.empty();
        }
        return ADDRESS.matcher(email).matches() ? Optional.of(email) : Optional.empty();
    }

    /** A prefix for searches: lower case, no control characters, at most the length of an address. */
    public static Optional<String> normalizePrefix(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String prefix = raw.strip().toLowerCase(Locale.ROOT);
        if (prefix.isEmpty() || prefix.length() > MAX_LENGTH || Text.hasControl(prefix) || !Text.isWellFormed(prefix)) {
            return Optional.empty();
        }
        return Optional.of(prefix);
    }
}
