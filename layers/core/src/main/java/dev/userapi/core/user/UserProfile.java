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
}
