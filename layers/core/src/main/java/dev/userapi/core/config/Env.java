package dev.userapi.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * Reading variables from a function's environment: the map a handler's constructor is given
 * ({@code System.getenv()} in the Lambda runtime, the function's own variables in the local stack).
 * Only the configuration records ({@link AppConfig} and the others' {@code from(Map)} factories) use this.
 */
public final class Env {
    private Env() {
    }

    /** A required variable; a missing or blank one stops start-up with its name. */
    public static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("Missing environment variable " + name);
        }
        return value.trim();
    }

    /** An optional variable; blank counts as absent. */
    public static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
