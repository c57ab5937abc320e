package dev.userapi.tokens;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.config.ConfigurationException;
import dev.userapi.core.config.Env;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whose tokens a function verifies, read once from its environment (the authorizer's access tokens,
 * the hosted sign-in's ID tokens):
 * <ul>
 *   <li>{@code COGNITO_ISSUER} (required): the exact {@code iss} of accepted tokens, without a trailing
 *       slash, e.g. {@code https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC} or cognito-local's
 *       {@code http://localhost:9229/local_pool};</li>
 *   <li>{@code JWKS_URL} (optional): default {@code <issuer>/.well-known/jwks.json}.</li>
 * </ul>
 * The JWKS URL must be {@code https}, except on a loopback host (cognito-local during development):
 * keys fetched over plain HTTP across a network could be replaced by anyone on the path.
 */
public record IssuerConfig(String issuer, URI jwksUrl) {
    /** 127.0.0.0/8 as an IPv4 literal (not a name such as {@code 127.attacker.example}). */
    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    public static IssuerConfig from(Map<String, String> env) {
        String issuer = Env.require(env, "COGNITO_ISSUER");
        AppConfig.uri("COGNITO_ISSUER", issuer);
        if (issuer.endsWith("/")) {
            throw new ConfigurationException("COGNITO_ISSUER must not end with '/': tokens' iss is compared exactly");
        }
        URI jwks = Env.optional(env, "JWKS_URL").map(v -> AppConfig.uri("JWKS_URL", v))
                .orElseGet(() -> CognitoAccessTokenVerifier.defaultJwksUrl(issuer));
        requireSafeTransport(jwks);
        return new IssuerConfig(issuer, jwks);
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

    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || LOOPBACK_IPV4.matcher(h).matches() || h.equals("[::1]")
                || h.equals("::1") || h.equals("host.docker.internal");
    }
}
