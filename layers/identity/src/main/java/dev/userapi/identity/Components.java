package dev.userapi.identity;

import dev.userapi.core.aws.AwsClients;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserRepository;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the route functions' services are built from, made once per execution environment from the
 * function's environment: configuration, the two SDK clients, the repositories and the helpers that
 * several services share.
 */
public record Components(AppConfig config, DynamoDbClient db, CognitoGateway cognito, UserRepository users,
                         SessionRepository sessions, Provisioning provisioning, RoleMirror mirror, Clock clock) {

    public static Components fromEnvironment() {
        AppConfig config = AppConfig.fromEnvironment();
        CognitoConfig cognitoConfig = CognitoConfig.fromEnvironment();
        DynamoDbClient db = AwsClients.dynamoDb(config.region(), config.dynamoDbEndpoint());
        CognitoGateway gateway = new CognitoGateway(() -> CognitoGateway.client(config.region(), cognitoConfig.endpoint()),
                cognitoConfig.userPoolId(), cognitoConfig.clientId());
        UserRepository users = new UserRepository(db, config);
        Clock clock = Clock.systemUTC();
        return new Components(config, db, gateway, users, new SessionRepository(db, config.tableName()),
                new Provisioning(users, config, clock), new RoleMirror(gateway, users, config.roles()), clock);
    }
}
