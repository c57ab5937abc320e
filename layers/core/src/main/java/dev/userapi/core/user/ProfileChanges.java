package dev.userapi.core.user;

import dev.userapi.core.http.JsonBody;
import dev.userapi.core.problem.InvalidRequestException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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

    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");

    /**
     * Reads a {@code PATCH} body: only the writable fields (anything else, {@code roles},
     * {@code email}, {@code status}, {@code version}... is a 400 and nothing is written), each
     * validated; {@code null} clears a field.
     */
    public static ProfileChanges from(JsonBody body) {
        body.allowOnly(WRITABLE.toArray(String[]::new));
        Map<String, Optional<String>> fields = new LinkedHashMap<>();
        if (body.has("name")) {
            fields.put("name", body.nullableString("name", 128));
        }
        if (body.has("locale")) {
            fields.put("locale", body.nullableString("locale", 35).map(v -> check("locale", v, LOCALE.matcher(v).matches(),
                    "a language tag such as en or pt-BR")));
        }
        if (body.has("picture")) {
            fields.put("picture", body.nullableString("picture", 2048).map(v -> check("picture", v, isHttpsUrl(v), "an https URL")));
        }
        if (body.has("phoneNumber")) {
            fields.put("phoneNumber", body.nullableString("phoneNumber", 16).map(v -> check("phoneNumber", v,
                    PHONE.matcher(v).matches(), "an E.164 number such as +14155550123")));
        }
        return new ProfileChanges(fields);
    }

    private static String check(String field, String value, boolean ok, String expected) {
        if (!ok) {
            throw new InvalidRequestException("Field '" + field + "' must be " + expected + ".");
        }
        return value;
    }

    private static boolean isHttpsUrl(String value) {
        try {
            URI uri = new URI(value);
            return "https".equals(uri.getScheme()) && uri.getHost() != null && uri.getUserInfo() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }
}
