package dev.userapi.core.user;

import java.util.Optional;

/** The filters of {@code GET /users}. */
public record UserFilter(Optional<String> emailPrefix, Optional<String> role, Optional<UserStatus> status) {
    public static UserFilter none() {
        return new UserFilter(Optional.empty(), Optional.empty(), Optional.empty());
    }
}
