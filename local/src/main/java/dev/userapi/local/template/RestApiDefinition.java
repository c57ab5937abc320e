package dev.userapi.local.template;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code AWS::Serverless::Api}: its stage, its authorizers, its gateway responses and its
 * throttling ({@code MethodSettings}). Routes
 * come from the functions' events ({@link FunctionDefinition#apiEvents()}).
 */
public record RestApiDefinition(
        String logicalId,
        String stageName,
        Map<String, TokenAuthorizerDefinition> authorizers,
        Map<String, GatewayResponseDefinition> gatewayResponses,
        java.util.List<MethodThrottling> throttling) {

    public RestApiDefinition {
        authorizers = Map.copyOf(authorizers);
        gatewayResponses = Map.copyOf(gatewayResponses);
        throttling = java.util.List.copyOf(throttling);
    }

    public Optional<TokenAuthorizerDefinition> authorizer(String name) {
        return Optional.ofNullable(authorizers.get(name));
    }
}
