package dev.userapi.authorizer;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.config.ConfigurationException;
import dev.userapi.core.config.Env;
import dev.userapi.tokens.CognitoAccessTokenVerifier;
import dev.userapi.tokens.IssuerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The authorizer's own configuration, read once from the function's environment:
 * <ul>
 *   <li>{@code COGNITO_ISSUER} (required) and {@code JWKS_URL} (optional), as {@link IssuerConfig} reads
 *       and checks them (exact issuer, https keys except on a loopback host);</li>
 *   <li>{@code ALLOWED_CLIENT_IDS} (required): comma-separated app client ids;</li>
 *   <li>{@code JWT_LEEWAY_SECONDS} (optional): clock skew on {@code exp}/{@code nbf}/{@code iat},
 *       0..60, default 5.</li>
 * </ul>
 */
public record AuthorizerConfig(String issuer, List<String> clientIds, URI jwksUrl, Duration leeway) {

    public AuthorizerConfig {
        clientIds = List.copyOf(clientIds);
    }

    public static AuthorizerConfig from(Map<String, String> env) {
        IssuerConfig issuer = IssuerConfig.from(env);
        List<String> clients = AppConfig.list(Env.require(env, "ALLOWED_CLIENT_IDS"));
        if (clients.isEmpty()) {
            throw new ConfigurationException("ALLOWED_CLIENT_IDS lists no client id");
        }
        long leeway = Env.optional(env, "JWT_LEEWAY_SECONDS").map(AuthorizerConfig::leewaySeconds)
                .orElse(CognitoAccessTokenVerifier.DEFAULT_LEEWAY.toSeconds());
        return new AuthorizerConfig(issuer.issuer(), clients, issuer.jwksUrl(), Duration.ofSeconds(leeway));
    }

    private static long leewaySeconds(String value) {
        long max = CognitoAccessTokenVerifier.MAX_LEEWAY.toSeconds();
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= 0 && seconds <= max) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException("JWT_LEEWAY_SECONDS must be a whole number of seconds from 0 to " + max + ": " + value);
    }
}
