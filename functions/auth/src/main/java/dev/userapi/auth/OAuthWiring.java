package dev.userapi.auth;

import dev.userapi.core.aws.AwsClients;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.config.Env;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.UnauthorizedException;
import dev.userapi.core.user.OAuthStateRepository;
import dev.userapi.identity.AuthService;
import dev.userapi.identity.Components;
import dev.userapi.identity.IdTokenVerifier;
import dev.userapi.identity.OAuthConfig;
import dev.userapi.identity.OAuthService;
import dev.userapi.tokens.CognitoAccessTokenVerifier;
import dev.userapi.tokens.CognitoIdTokenVerifier;
import dev.userapi.tokens.TokenInvalidException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds the hosted sign-in from the function's environment: {@code OAUTH_DOMAIN_URL},
 * {@code OAUTH_CALLBACK_URL}, {@code COGNITO_ISSUER} (and optionally {@code JWKS_URL}) besides
 * the usual table, pool and client variables. ID tokens are verified by TokensLayer's verifier.
 */
final class OAuthWiring {
    private static final Log LOG = Log.of(OAuthWiring.class);

    private OAuthWiring() {
    }

    static OAuthService fromEnvironment() {
        var env = Env.current();
        Components components = Components.fromEnvironment();
        OAuthConfig config = OAuthConfig.fromEnvironment();
        String issuer = Env.require(env, "COGNITO_ISSUER");
        var jwksUrl = Env.optional(env, "JWKS_URL").map(v -> AppConfig.uri("JWKS_URL", v))
                .orElse(CognitoAccessTokenVerifier.defaultJwksUrl(issuer));
        Clock clock = components.clock();
        CognitoIdTokenVerifier idTokens = new CognitoIdTokenVerifier(issuer, config.clientId(), jwksUrl, Duration.ofSeconds(5), clock);
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
        return new OAuthService(config, new OAuthStateRepository(components.db(), components.config().tableName()),
                verifier, AuthService.from(components), http, clock);
    }
}
