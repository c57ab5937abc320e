package dev.userapi.core.user;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A partial update of the allow-listed profile fields. A field that is absent is left alone; a field
 * mapped to an empty value is cleared.
 */
public record ProfileChanges(Map<String, Optional<String>> fields) {
    /** The only profile fields a client may write. */
    public static final Set<String> WRITABLE = Set.of("name", "locale", "picture", "phoneNumber");

    public ProfileChanges {
        for (String field : fields.keySet()) {
            if (!WRITABLE.contains(field)) {
                throw new IllegalArgumentException("not writable: " + field);
            }
        }
        fields = Map.copyOf(fields);
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }
}
