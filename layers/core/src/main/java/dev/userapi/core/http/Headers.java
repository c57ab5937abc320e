package dev.userapi.core.http;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Case-insensitive header lookup over the maps API Gateway hands us (which keep the client's spelling). */
final class Headers {
    private Headers() {
    }

    static Optional<String> get(Map<String, String> headers, String name) {
        if (headers == null || headers.isEmpty()) {
            return Optional.empty();
        }
        String direct = headers.get(name);
        if (direct != null) {
            return Optional.of(direct);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.ofNullable(e.getValue());
            }
        }
        return Optional.empty();
    }
}
