package dev.userapi.core.http;

import dev.userapi.core.config.AppConfig;
import java.util.List;
import java.util.Set;

/**
 * The signed-in caller, as the authorizer established it: the Cognito {@code sub}, the username and
 * the roles read from the source of truth at authorization time.
 */
public record Caller(String sub, String username, Set<String> roles) {
    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(AppConfig.ADMIN_ROLE);
    }

    public List<String> sortedRoles() {
        return roles.stream().sorted().toList();
    }
}
