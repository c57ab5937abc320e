package dev.userapi.core.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where configuration comes from: the process environment, as the Lambda runtime sets it from
 * {@code template.yaml}.
 *
 * <p>A host that runs several functions in one JVM (the local stack) gives each function its own
 * environment by constructing that function's handler inside {@link #with(Map, Supplier)}; handlers
 * read their configuration once, in their constructor, so the scope only has to cover construction.
 */
public final class Env {
    private static final ThreadLocal<Map<String, String>> SCOPED = new ThreadLocal<>();

    private Env() {
    }

    /** The variables visible to the code running on this thread. */
    public static Map<String, String> current() {
        Map<String, String> scoped = SCOPED.get();
        return scoped != null ? scoped : System.getenv();
    }

    /** Runs {@code action} with {@code variables} as the whole environment, then restores the previous one. */
    public static <T> T with(Map<String, String> variables, Supplier<T> action) {
        Objects.requireNonNull(variables, "variables");
        Map<String, String> previous = SCOPED.get();
        SCOPED.set(Map.copyOf(variables));
        try {
            return action.get();
        } finally {
            if (previous == null) {
                SCOPED.remove();
            } else {
                SCOPED.set(previous);
            }
        }
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
