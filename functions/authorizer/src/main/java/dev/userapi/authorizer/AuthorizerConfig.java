package dev.userapi.authorizer;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.config.ConfigurationException;
import dev.userapi.core.config.Env;
import dev.userapi.tokens.CognitoAccessTokenVerifier;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The authorizer's own configuration, read once from {@link Env#current()}:
 * <ul>
 *   <li>{@code COGNITO_ISSUER} (required): the exact {@code iss} of accepted tokens, without a trailing
 *       slash, e.g. {@code https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC} or cognito-local's
 *       {@code http://localhost:9229/local_pool};</li>
 *   <li>{@code ALLOWED_CLIENT_IDS} (required): comma-separated app client ids;</li>
 *   <li>{@code JWKS_URL} (optional): default {@code <issuer>/.well-known/jwks.json};</li>
 *   <li>{@code JWT_LEEWAY_SECONDS} (optional): clock skew on {@code exp}/{@code nbf}/{@code iat},
 *       0..60, default 5.</li>
 * </ul>
 * The JWKS URL must be {@code https}, except on a loopback host (cognito-local during development):
 * keys fetched over plain HTTP across a network could be replaced by anyone on the path.
 */
public record AuthorizerConfig(String issuer, List<String> clientIds, URI jwksUrl, Duration leeway) {

    public AuthorizerConfig {
        clientIds = List.copyOf(clientIds);
    }

    public static AuthorizerConfig fromEnvironment() {
        return from(Env.current());
    }

    public static AuthorizerConfig from(Map<String, String> env) {
        String issuer = Env.require(env, "COGNITO_ISSUER");
        AppConfig.uri("COGNITO_ISSUER", issuer);
        if (issuer.endsWith("/")) {
            throw new ConfigurationException("COGNITO_ISSUER must not end with '/': tokens' iss is compared exactly");
        }
        List<String> clients = AppConfig.list(Env.require(env, "ALLOWED_CLIENT_IDS"));
        if (clients.isEmpty()) {
            throw new ConfigurationException("ALLOWED_CLIENT_IDS lists no client id");
        }
        URI jwks = Env.optional(env, "JWKS_URL").map(v -> AppConfig.uri("JWKS_URL", v))
                .orElseGet(() -> CognitoAccessTokenVerifier.defaultJwksUrl(issuer));
        requireSafeTransport(jwks);
        long leeway = Env.optional(env, "JWT_LEEWAY_SECONDS").map(AuthorizerConfig::leewaySeconds)
                .orElse(CognitoAccessTokenVerifier.DEFAULT_LEEWAY.toSeconds());
        return new AuthorizerConfig(issuer, clients, jwks, Duration.ofSeconds(leeway));
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

    private static void requireSafeTransport(URI jwks) {
        String scheme = jwks.getScheme().toLowerCase(Locale.ROOT);
        if ("https".equals(scheme)) {
            return;
        }
        if ("http".equals(scheme) && isLoopback(jwks.getHost())) {
            return;
        }
        throw new ConfigurationException("The JWKS URL must use https (plain http only on a loopback host): " + jwks);
    }

    /** 127.0.0.0/8 as an IPv4 literal (not a name such as {@code 127.attacker.example}). */
    private static final java.util.regex.Pattern LOOPBACK_IPV4 =
            java.util.regex.Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || LOOPBACK_IPV4.matcher(h).matches() || h.equals("[::1]")
                || h.equals("::1") || h.equals("host.docker.internal");
    }
}
