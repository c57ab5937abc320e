package dev.userapi.identity;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.config.Env;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The user pool a route function works with: {@code USER_POOL_ID}, {@code USER_POOL_CLIENT_ID}
 * (the app client this API signs users in with), locally {@code COGNITO_ENDPOINT}, and
 * {@code TOTP_ISSUER}, the name authenticator apps show (default {@code User API}).
 * The Cognito triggers have none of these (the pool references them, not the other way round):
 * they take the pool from the event.
 */
public record CognitoConfig(String userPoolId, String clientId, Optional<URI> endpoint, String totpIssuer) {

    public static final String DEFAULT_TOTP_ISSUER = "User API";

    public static CognitoConfig from(Map<String, String> env) {
        return new CognitoConfig(
                Env.require(env, "USER_POOL_ID"),
                Env.require(env, "USER_POOL_CLIENT_ID"),
                endpoint(env),
                Env.optional(env, "TOTP_ISSUER").orElse(DEFAULT_TOTP_ISSUER));
    }

    /** The endpoint override alone, for functions that learn the pool from their event. */
    public static Optional<URI> endpoint(Map<String, String> env) {
        return Env.optional(env, "COGNITO_ENDPOINT").map(v -> AppConfig.uri("COGNITO_ENDPOINT", v));
    }
}
