package dev.userapi.core.http;

import dev.userapi.core.config.AppConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CORS for browsers from the configured origins. Only an allowed {@code Origin} is echoed back; an
 * unknown one gets no {@code Access-Control-Allow-Origin}, so the browser withholds the response.
 * Credentials (cookies) are not used by this API: tokens travel in the {@code Authorization} header.
 */
public final class Cors {
    public static final String ALLOW_METHODS = "GET,POST,PUT,PATCH,DELETE,OPTIONS";
    public static final String ALLOW_HEADERS = "Authorization,Content-Type,If-Match";
    public static final String EXPOSE_HEADERS = "ETag,Retry-After,Location";
    public static final String MAX_AGE_SECONDS = "600";

    private final List<String> allowedOrigins;

    public Cors(List<String> allowedOrigins) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** The function's allowed origins ({@code ALLOWED_ORIGINS}, read by {@link AppConfig}). */
    public static Cors from(AppConfig config) {
        return new Cors(config.allowedOrigins());
    }

    public Optional<String> allowedOrigin(Optional<String> origin) {
        return origin.filter(o -> allowedOrigins.contains(o) || allowedOrigins.contains("*"));
    }

    /** Headers for an actual (non-preflight) response. */
    void apply(Optional<String> origin, Map<String, String> headers) {
        headers.put("Vary", "Origin");
        allowedOrigin(origin).ifPresent(o -> {
            headers.put("Access-Control-Allow-Origin", o);
            headers.put("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        });
    }

    /** Headers for a preflight answer. */
    public void applyPreflight(Optional<String> origin, Map<String, String> headers) {
        headers.put("Vary", "Origin");
        allowedOrigin(origin).ifPresent(o -> {
            headers.put("Access-Control-Allow-Origin", o);
            headers.put("Access-Control-Allow-Methods", ALLOW_METHODS);
            headers.put("Access-Control-Allow-Headers", ALLOW_HEADERS);
            headers.put("Access-Control-Max-Age", MAX_AGE_SECONDS);
        });
    }
}
