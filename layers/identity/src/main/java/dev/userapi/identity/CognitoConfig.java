package dev.userapi.identity;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.config.Env;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The user pool a route function works with: {@code USER_POOL_ID}, {@code USER_POOL_CLIENT_ID}
 * (the app client this API signs users in with) and, locally, {@code COGNITO_ENDPOINT}.
 * The Cognito triggers have none of these (the pool references them, not the other way round):
 * they take the pool from the event.
 */
public record CognitoConfig(String userPoolId, String clientId, Optional<URI> endpoint) {

    public static CognitoConfig fromEnvironment() {
        return from(Env.current());
    }

    public static CognitoConfig from(Map<String, String> env) {
        return new CognitoConfig(
                Env.require(env, "USER_POOL_ID"),
                Env.require(env, "USER_POOL_CLIENT_ID"),
                endpoint(env));
    }

    /** The endpoint override alone, for functions that learn the pool from their event. */
    public static Optional<URI> endpoint(Map<String, String> env) {
        return Env.optional(env, "COGNITO_ENDPOINT").map(v -> AppConfig.uri("COGNITO_ENDPOINT", v));
    }
}
