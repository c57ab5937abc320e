package dev.userapi.triggers;

import dev.userapi.core.activity.ActivityRepository;
import dev.userapi.core.aws.AwsClients;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.UserRepository;
import dev.userapi.identity.CognitoConfig;
import dev.userapi.identity.CognitoGateway;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * The Cognito triggers' composition root: their configuration, read once from the function's
 * environment. The triggers have no pool or client variables (the pool references them, not the
 * reverse): they learn the pool from the event, so only the endpoint override is read here. Clients
 * are built with the budget of the trigger that asks for them (Cognito gives a trigger 5 s in all).
 */
record TriggerComponents(AppConfig config, Optional<URI> cognitoEndpoint) {

    static TriggerComponents from(Map<String, String> env) {
        return new TriggerComponents(AppConfig.from(env), CognitoConfig.endpoint(env));
    }

    /** The user repository over a DynamoDB client that gives up within {@code budget} per call. */
    UserRepository users(Duration budget) {
        return new UserRepository(AwsClients.dynamoDb(config, budget), config);
    }

    /** The audit trail over a DynamoDB client that gives up within {@code budget} per call. */
    AuditRepository audit(Duration budget) {
        return new AuditRepository(AwsClients.dynamoDb(config, budget), config.tableName());
    }

    /** The accounts' security activity over a DynamoDB client that gives up within {@code budget} per call. */
    ActivityRepository activity(Duration budget) {
        return new ActivityRepository(AwsClients.dynamoDb(config, budget), config.tableName());
    }

    /** A Cognito client that gives up within {@code budget} per call. */
    CognitoIdentityProviderClient cognito(Duration budget) {
        return CognitoGateway.client(config, cognitoEndpoint, budget);
    }
}
