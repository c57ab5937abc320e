package dev.userapi.local.template;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code AWS::Serverless::Api}: its stage, its authorizers and its gateway responses. Routes
 * come from the functions' events ({@link FunctionDefinition#apiEvents()}).
 */
public record RestApiDefinition(
        String logicalId,
        String stageName,
        Map<String, TokenAuthorizerDefinition> authorizers,
        Map<String, GatewayResponseDefinition> gatewayResponses) {

    public RestApiDefinition {
        authorizers = Map.copyOf(authorizers);
        gatewayResponses = Map.copyOf(gatewayResponses);
    }

    public Optional<TokenAuthorizerDefinition> authorizer(String name) {
        return Optional.ofNullable(authorizers.get(name));
    }
}
