package dev.userapi.auth;

import dev.userapi.core.aws.AwsClients;
import dev.userapi.core.http.Cors;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.UnauthorizedException;
import dev.userapi.core.user.OAuthStateRepository;
import dev.userapi.identity.AuthService;
import dev.userapi.identity.Components;
import dev.userapi.identity.IdTokenVerifier;
import dev.userapi.identity.OAuthConfig;
import dev.userapi.identity.OAuthService;
import dev.userapi.tokens.CognitoIdTokenVerifier;
import dev.userapi.tokens.IssuerConfig;
import dev.userapi.tokens.TokenInvalidException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The hosted sign-in functions' composition root: the route functions' {@link Components} plus
 * {@code OAUTH_DOMAIN_URL}, {@code OAUTH_CALLBACK_URL} ({@link OAuthConfig}), {@code COGNITO_ISSUER} and
 * optionally {@code JWKS_URL} ({@link IssuerConfig}), each read once. ID tokens are verified by
 * TokensLayer's verifier; the service shares the components' clients.
 */
record OAuthComponents(Components components, OAuthService oauth) {
    private static final Log LOG = Log.of(OAuthComponents.class);

    static OAuthComponents from(Map<String, String> env) {
        Components components = Components.from(env);
        OAuthConfig config = OAuthConfig.from(env, components.config(), components.cognitoConfig());
        IssuerConfig issuer = IssuerConfig.from(env);
        Clock clock = components.clock();
        CognitoIdTokenVerifier idTokens = new CognitoIdTokenVerifier(issuer.issuer(), config.clientId(), issuer.jwksUrl(),
                Duration.ofSeconds(5), clock);
        IdTokenVerifier verifier = (token, nonce) -> {
            try {
                var verified = idTokens.verify(token, nonce);
                return new IdTokenVerifier.IdTokenClaims(verified.sub(), verified.email().orElse(null), verified.emailVerified(),
                        verified.name().orElse(null));
            } catch (TokenInvalidException e) {
                LOG.warn("ID token refused", "reason", e.reason().name());
                throw new UnauthorizedException("The sign-in's identity token could not be verified; start again.");
            }
        };
        HttpClient http = HttpClient.newBuilder().connectTimeout(AwsClients.CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new OAuthComponents(components, new OAuthService(config,
                new OAuthStateRepository(components.db(), components.config().tableName()),
                verifier, AuthService.from(components), http, clock, components.cognito()::clientSecret));
    }

    Cors cors() {
        return components.cors();
    }
}
