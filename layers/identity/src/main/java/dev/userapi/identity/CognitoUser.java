package dev.userapi.identity;

import java.util.Map;
import java.util.Optional;

/** A Cognito user as the API needs it: username (the {@code sub} in an e-mail-as-username pool) and attributes. */
public record CognitoUser(String username, Map<String, String> attributes, boolean enabled, String status, boolean totpEnabled) {
    public CognitoUser {
        attributes = Map.copyOf(attributes);
    }

    public String sub() {
        return attributes.getOrDefault("sub", username);
    }

    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }
}
