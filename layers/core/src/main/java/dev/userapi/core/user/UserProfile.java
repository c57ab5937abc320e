package dev.userapi.core.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A user's profile as the API returns it. {@code id} is the Cognito {@code sub}; timestamps are
 * ISO-8601 UTC; {@code version} grows by one with every write and is the {@code ETag}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UserProfile(
        String id,
        String email,
        String name,
        String locale,
        String picture,
        String phoneNumber,
        List<String> roles,
        UserStatus status,
        boolean mfaEnabled,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public UserProfile {
        roles = roles == null ? List.of() : roles.stream().sorted().distinct().toList();
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** The profile as the API returns it: every field present (null when unset), timestamps ISO-8601 UTC. */
    public java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("id", id);
        json.put("email", email);
        json.put("name", name);
        json.put("locale", locale);
        json.put("picture", picture);
        json.put("phoneNumber", phoneNumber);
        json.put("roles", roles);
        json.put("status", status.name());
        json.put("mfaEnabled", mfaEnabled);
        json.put("createdAt", createdAt.toString());
        json.put("updatedAt", updatedAt.toString());
        json.put("version", version);
        return json;
    }
}
