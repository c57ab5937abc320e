package dev.userapi.identity;

import dev.userapi.core.config.ConfigurationException;
import dev.userapi.core.config.Env;
import java.time.Duration;
import java.util.Map;

/**
 * How recent a sign-in the "sudo mode" routes need (docs/SECURITY.md item 32):
 * {@code REAUTH_WINDOW_SECONDS}, the template's {@code ReauthWindowSeconds} (default 300). An access
 * token whose {@code auth_time} is older than this cannot delete the account, turn MFA off or
 * replace TOTP until {@code POST /auth/reauthenticate} renews it.
 */
public record ReauthConfig(Duration window) {
    public static final long DEFAULT_SECONDS = 300;

    public ReauthConfig {
        if (window.isNegative() || window.isZero() || window.toSeconds() > 86_400) {
            throw new ConfigurationException("REAUTH_WINDOW_SECONDS must be from 1 to 86400, was " + window.toSeconds());
        }
    }

    public static ReauthConfig from(Map<String, String> env) {
        long seconds = Env.optional(env, "REAUTH_WINDOW_SECONDS").map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new ConfigurationException("REAUTH_WINDOW_SECONDS must be a whole number of seconds, was '" + v + "'");
            }
        }).orElse(DEFAULT_SECONDS);
        return new ReauthConfig(Duration.ofSeconds(seconds));
    }
}
