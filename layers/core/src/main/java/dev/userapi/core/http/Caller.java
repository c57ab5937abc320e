package dev.userapi.core.http;

import dev.userapi.core.config.AppConfig;
import java.util.List;
import java.util.Set;

/**
 * The signed-in caller, as the authorizer established it: the Cognito {@code sub}, the username,
 * the roles read from the source of truth at authorization time, and the access token's
 * {@code auth_time} (epoch seconds of the sign-in the token descends from; 0 when unknown, which
 * counts as long ago).
 */
public record Caller(String sub, String username, Set<String> roles, long authTime) {
    public Caller {
        roles = Set.copyOf(roles);
    }

    /** A caller whose sign-in time is not known. */
    public Caller(String sub, String username, Set<String> roles) {
        this(sub, username, roles, 0L);
    }

    /** True if the caller signed in (password, or password and code) within {@code windowSeconds} of {@code nowSeconds}. */
    public boolean authenticatedWithin(long windowSeconds, long nowSeconds) {
        return authTime > 0 && authTime <= nowSeconds + 60 && nowSeconds - authTime <= windowSeconds;
    }

    public boolean isAdmin() {
        return roles.contains(AppConfig.ADMIN_ROLE);
    }

    public List<String> sortedRoles() {
        return roles.stream().sorted().toList();
    }
}
