package dev.userapi.local.ops;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.Emails;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import dev.userapi.identity.CognitoGateway;
import dev.userapi.identity.CognitoUser;
import dev.userapi.identity.RoleMirror;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Makes the first administrator of a deployed stack in one step, with the operator's own AWS credentials (the SDK's
 * default chain), never through the API: {@code scripts/bootstrap-admin.sh --stack <name> --email <address>}.
 *
 * <ol>
 *   <li>refuses if the pool already has an account with that address: only an account this command creates becomes
 *       an administrator (someone else may have signed up with the address first; see docs/DEPLOY.md);</li>
 *   <li>creates it in Cognito as {@code POST /users} does ({@code AdminCreateUser}, the e-mail marked verified: the
 *       operator vouches for it; Cognito e-mails a temporary password, changed at the first sign-in);</li>
 *   <li>writes its profile with the roles {@code user} and {@code admin} through the data layer
 *       ({@link UserRepository#createIfAbsent}: the administrator count with it) and mirrors the roles to the Cognito
 *       groups ({@link RoleMirror}).</li>
 * </ol>
 * Not deployed (the local module); needs {@code cognito-idp:AdminGetUser}, {@code AdminCreateUser},
 * {@code AdminListGroupsForUser}, {@code AdminAddUserToGroup} on the pool and {@code dynamodb:GetItem},
 * {@code TransactWriteItems}/{@code PutItem}/{@code UpdateItem} on the table.
 */
public final class BootstrapAdmin {
    static final String USAGE = "usage: bootstrap-admin --region <region> --user-pool-id <id> --table <name> --email <address>"
            + " [--roles user,admin] [--cognito-endpoint <url>] [--dynamodb-endpoint <url>]";

    /** What the command needs: the stack's pool, table and known roles (the template's {@code Roles}). */
    public record Settings(String region, String userPoolId, String table, String email, List<String> roles,
                           Optional<URI> cognitoEndpoint, Optional<URI> dynamoDbEndpoint) {
        public Settings {
            roles = List.copyOf(roles);
            if (!roles.contains(AppConfig.USER_ROLE) || !roles.contains(AppConfig.ADMIN_ROLE)) {
                throw new IllegalArgumentException("--roles must contain user and admin");
            }
        }
    }

    /** The account made an administrator. */
    public record Result(String userId, String email) {
    }

    /** Refused: an account with the address exists (nothing was changed). */
    public static final class AccountExists extends RuntimeException {
        AccountExists(String email) {
            super("An account with " + email + " exists already, so it is not made an administrator: only an account this"
                    + " command creates is (anyone may have signed up with that address). Delete that account, or use an"
                    + " address with none, or have an existing administrator grant the role (PUT /users/{id}/roles).");
        }
    }

    private final CognitoGateway cognito;
    private final UserRepository users;
    private final RoleMirror mirror;
    private final Clock clock;

    public BootstrapAdmin(CognitoIdentityProviderClient cognito, DynamoDbClient dynamoDb, Settings settings, Clock clock) {
        this.cognito = new CognitoGateway(cognito, settings.userPoolId(), null);
        this.users = new UserRepository(dynamoDb, settings.table(), settings.roles(), clock);
        this.mirror = new RoleMirror(this.cognito, users, settings.roles());
        this.clock = clock;
    }

    /** Creates the administrator; throws {@link AccountExists} (nothing changed) if the address has an account. */
    public Result run(String emailAddress) {
        String email = Emails.normalize(emailAddress).orElseThrow(() -> new IllegalArgumentException("Not an e-mail address: " + emailAddress));
        try {
            cognito.adminGetUser(email);
            throw new AccountExists(email);
        } catch (UserNotFoundException expected) {
            // the address is free: the account will be ours
        }
        CognitoUser created = cognito.adminCreateUser(email, Optional.empty());
        String sub = created.sub();
        Instant now = clock.instant();
        List<String> roles = new ArrayList<>(List.of(AppConfig.USER_ROLE, AppConfig.ADMIN_ROLE));
        users.createIfAbsent(new UserProfile(sub, email, null, null, null, null, roles, UserStatus.ENABLED, false, now, now, 1));
        mirror.mirror(sub);
        return new Result(sub, email);
    }

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try (CognitoIdentityProviderClient cognito = cognitoClient(settings); DynamoDbClient dynamoDb = dynamoDbClient(settings)) {
            Result result = new BootstrapAdmin(cognito, dynamoDb, settings, Clock.systemUTC()).run(settings.email());
            System.out.println("Administrator created: " + result.email() + " (id " + result.userId() + ")."
                    + " Cognito has e-mailed a temporary password; sign in with it at POST /auth/login and set a new"
                    + " password at POST /auth/login/new-password.");
        } catch (AccountExists | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            System.err.println("Bootstrap failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (check the region, the stack's outputs and that your credentials may call Cognito and DynamoDB)");
            System.exit(1);
        }
    }

    public static Settings parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Unexpected argument " + name);
            }
            values.put(name.substring(2), args[++i]);
        }
        for (String required : List.of("region", "user-pool-id", "table", "email")) {
            if (values.getOrDefault(required, "").isBlank()) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        return new Settings(values.get("region"), values.get("user-pool-id"), values.get("table"), values.get("email"),
                AppConfig.list(values.getOrDefault("roles", "user,admin")),
                Optional.ofNullable(values.get("cognito-endpoint")).map(URI::create),
                Optional.ofNullable(values.get("dynamodb-endpoint")).map(URI::create));
    }

    private static CognitoIdentityProviderClient cognitoClient(Settings s) {
        var builder = CognitoIdentityProviderClient.builder().region(Region.of(s.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build()).httpClient(UrlConnectionHttpClient.create());
        s.cognitoEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static DynamoDbClient dynamoDbClient(Settings s) {
        var builder = DynamoDbClient.builder().region(Region.of(s.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build()).httpClient(UrlConnectionHttpClient.create());
        s.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
