package dev.userapi.authorizer;

import dev.userapi.core.aws.AwsClients;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.user.UserRepository;
import dev.userapi.tokens.CognitoAccessTokenVerifier;
import java.util.List;
import java.util.Map;

/**
 * The authorizer's composition root: its configuration, read once from the function's environment,
 * the token verifier (its JWKS not loaded yet) and the user store read.
 */
record AuthorizerComponents(AuthorizerConfig config, AppConfig app, CognitoAccessTokenVerifier verifier, UserRecords users) {

    static AuthorizerComponents from(Map<String, String> env) {
        AuthorizerConfig config = AuthorizerConfig.from(env);
        AppConfig app = AppConfig.from(env);
        CognitoAccessTokenVerifier verifier = CognitoAccessTokenVerifier.builder(config.issuer(), config.clientIds())
                .jwksUrl(config.jwksUrl())
                .leeway(config.leeway())
                .build();
        return new AuthorizerComponents(config, app, verifier, new UserRepository(AwsClients.dynamoDb(app), app)::findRecord);
    }

    List<String> roles() {
        return app.roles();
    }
}
