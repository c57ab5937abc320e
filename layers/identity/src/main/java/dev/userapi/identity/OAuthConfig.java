package dev.userapi.identity;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hosted-UI sign-in: the user pool domain ({@code OAUTH_DOMAIN_URL}, empty when the stack has none),
 * this API's callback URL ({@code OAUTH_CALLBACK_URL}, registered on the app client), the app client
 * ({@code USER_POOL_CLIENT_ID}, from {@link CognitoConfig}) and the browser origins a sign-in may return
 * to ({@code ALLOWED_ORIGINS}, from {@link AppConfig}).
 */
public record OAuthConfig(Optional<URI> domain, URI callbackUrl, String clientId, List<String> allowedOrigins, Duration stateLifetime) {

    /** Reads the two OAuth variables; the client and the origins come from the configuration already read. */
    public static OAuthConfig from(Map<String, String> env, AppConfig app, CognitoConfig cognito) {
        return new OAuthConfig(
                Env.optional(env, "OAUTH_DOMAIN_URL").map(v -> AppConfig.uri("OAUTH_DOMAIN_URL", v)),
                AppConfig.uri("OAUTH_CALLBACK_URL", Env.require(env, "OAUTH_CALLBACK_URL")),
                cognito.clientId(),
                app.allowedOrigins(),
                Duration.ofMinutes(10));
    }
}
