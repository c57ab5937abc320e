package dev.userapi.identity;

import dev.userapi.core.activity.ActivityRepository;
import dev.userapi.core.attempts.AttemptLimiter;
import dev.userapi.core.attempts.AttemptPolicy;
import dev.userapi.core.attempts.AttemptRepository;
import dev.userapi.core.aws.AwsClients;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.Cors;
import dev.userapi.core.snapstart.Priming;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserRepository;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The composition root of the route functions: what their services are built from, made once per
 * execution environment from the function's environment (configuration, the two SDK clients, the
 * repositories and the helpers that several services share). The Cognito client is built on its
 * first use; {@link ReauthConfig} is the re-authentication window of the "sudo mode" routes.
 */
public record Components(AppConfig config, CognitoConfig cognitoConfig, DynamoDbClient db, CognitoGateway cognito,
                         UserRepository users, SessionRepository sessions, Provisioning provisioning, RoleMirror mirror,
                         Clock clock, ReauthConfig reauth) {

    /** Reads every variable the route functions use, once; a missing required one fails with its name. */
    public static Components from(Map<String, String> env) {
        AppConfig config = AppConfig.from(env);
        CognitoConfig cognitoConfig = CognitoConfig.from(env);
        DynamoDbClient db = AwsClients.dynamoDb(config);
        CognitoGateway gateway = new CognitoGateway(() -> CognitoGateway.client(config, cognitoConfig.endpoint()),
                cognitoConfig.userPoolId(), cognitoConfig.clientId());
        UserRepository users = new UserRepository(db, config);
        Clock clock = Clock.systemUTC();
        Components components = new Components(config, cognitoConfig, db, gateway, users, new SessionRepository(db, config.tableName()),
                new Provisioning(users, config, clock), new RoleMirror(gateway, users, config.roles()), clock,
                ReauthConfig.from(env));
        Priming.register("route-function clients", components::prime);
        return components;
    }

    /**
     * SnapStart priming of every route function (before the snapshot; docs/PERFORMANCE.md): a consistent read of a
     * profile that does not exist loads and initialises the DynamoDB client, its marshallers and the HTTP client, and a
     * group listing on a pool that does not exist builds the (lazy) Cognito client and runs one call through it. Both
     * may be refused (a function's IAM allows only its own actions): the client code has run either way.
     */
    void prime() {
        try {
            users.findRecord("snapstart-priming");
        } finally {
            cognito.prime();
        }
    }

    /** The limiter of password and code guesses (docs/SECURITY.md item 29), on the users table. */
    public AttemptLimiter attempts() {
        return new AttemptLimiter(new AttemptRepository(db, config.tableName()), AttemptPolicy.STANDARD, clock);
    }

    /** The accounts' security activity ({@code ACTIVITY#<sub>} items of the users table). */
    public Activity activity() {
        return new Activity(new ActivityRepository(db, config.tableName()), users, clock);
    }

    /** CORS for the function's allowed origins. */
    public Cors cors() {
        return Cors.from(config);
    }
}
