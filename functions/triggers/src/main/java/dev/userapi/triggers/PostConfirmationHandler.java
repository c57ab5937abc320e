package dev.userapi.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPostConfirmationEvent;
import dev.userapi.core.aws.AwsClients;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.Emails;
import dev.userapi.core.log.Invocations;
import dev.userapi.core.log.Log;
import dev.userapi.core.org.OrgRepository;
import dev.userapi.core.snapstart.Priming;
import dev.userapi.core.snapstart.RuntimeEvents;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserRepository;
import dev.userapi.identity.AccountDrift;
import dev.userapi.identity.Activity;
import dev.userapi.identity.CognitoGateway;
import dev.userapi.identity.Provisioning;
import dev.userapi.identity.RoleMirror;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Cognito's post-confirmation trigger: creates the user's profile with the initial roles and
 * mirrors them into Cognito groups.
 *
 * <p>Cognito retries a failed invocation (three attempts, five seconds each) and also fires this on
 * {@code PostConfirmation_ConfirmForgotPassword}. So: the profile is created only if absent
 * (a conditional write; losing the race is success), an existing profile's roles are never touched,
 * and the event is returned unchanged. A DynamoDB failure is thrown so Cognito retries; a group
 * mirror failure is only logged (DynamoDB is the source of truth; the authorizer reads it).
 */
public final class PostConfirmationHandler
        implements RequestHandler<CognitoUserPoolPostConfirmationEvent, CognitoUserPoolPostConfirmationEvent>, Resource {
    private static final Log LOG = Log.of(PostConfirmationHandler.class);
    /** Each DynamoDB or Cognito call of the trigger gives up within this (Cognito allows 5 s for the whole invocation). */
    static final java.time.Duration CALL_BUDGET = java.time.Duration.ofMillis(2000);

    private final Provisioning provisioning;
    private final Function<String, RoleMirror> mirrors;
    private final Function<String, AccountDrift> drifts;
    private final Runnable priming;
    private final Invocations invocations = new Invocations();

    /** Used by the Lambda runtime: wired from the process environment. */
    public PostConfirmationHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env} (the local stack passes each function its own), registered for SnapStart's hooks. */
    public PostConfirmationHandler(Map<String, String> env) {
        this(Wiring.from(TriggerComponents.from(env)));
        Core.getGlobalContext().register(this);
    }

    private PostConfirmationHandler(Wiring wiring) {
        this(wiring.provisioning, wiring.mirrors, wiring.drifts, wiring.priming);
    }

    PostConfirmationHandler(Provisioning provisioning, Function<String, RoleMirror> mirrorForPool, Runnable priming) {
        this(provisioning, mirrorForPool, pool -> AccountDrift.NONE, priming);
    }

    PostConfirmationHandler(Provisioning provisioning, Function<String, RoleMirror> mirrorForPool,
                            Function<String, AccountDrift> driftForPool, Runnable priming) {
        this.provisioning = provisioning;
        this.mirrors = mirrorForPool;
        this.drifts = driftForPool;
        this.priming = priming;
    }

    /**
     * SnapStart priming, before the snapshot, under core's priming guard ({@link Priming#run}: every SDK operation that
     * is not a read is refused before it is sent): the clients' own priming (a consistent read of a profile that does not
     * exist; a group listing, and a group addition that the guard refuses after marshalling it, on a pool that does not
     * exist), then one whole invocation on a confirmation event for that pool and an account that does not exist, read
     * and written with the runtime's serialisation ({@link RuntimeEvents}): the profile's creation is marshalled and
     * refused, so nothing is written. The first confirmation after a restore then finds that code loaded and compiled,
     * far inside Cognito's 5-second budget. Each step may fail: that is logged, never thrown.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.run("post-confirmation clients", priming);
        Priming.run("post-confirmation invocation", () -> {
            CognitoUserPoolPostConfirmationEvent event = RuntimeEvents.fromJson(CognitoUserPoolPostConfirmationEvent.class, PRIMING_EVENT);
            RuntimeEvents.toJson(CognitoUserPoolPostConfirmationEvent.class, handleRequest(event, null));
        });
    }

    /** A confirmation of an account that does not exist, in a pool that does not exist. */
    static final String PRIMING_EVENT = "{\"version\":\"1\",\"region\":\"us-east-1\",\"userPoolId\":\"us-east-1_SnapStartPriming\","
            + "\"userName\":\"snapstart-priming\",\"callerContext\":{\"awsSdkVersion\":\"priming\",\"clientId\":\"priming\"},"
            + "\"triggerSource\":\"PostConfirmation_ConfirmSignUp\",\"request\":{\"userAttributes\":{\"sub\":\"snapstart-priming\","
            + "\"email\":\"snapstart-priming@example.invalid\",\"email_verified\":\"true\",\"name\":\"SnapStart priming\"}},"
            + "\"response\":{}}";

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: the SDK client reconnects on its own and credentials are resolved per call
    }

    @Override
    public CognitoUserPoolPostConfirmationEvent handleRequest(CognitoUserPoolPostConfirmationEvent event, Context context) {
        try (Log.Scope scope = invocations.enter(context)) {
            return confirm(event);
        }
    }

    private CognitoUserPoolPostConfirmationEvent confirm(CognitoUserPoolPostConfirmationEvent event) {
        String source = event.getTriggerSource();
        if (!"PostConfirmation_ConfirmSignUp".equals(source) && !"PostConfirmation_ConfirmForgotPassword".equals(source)) {
            LOG.info("ignored trigger source", "triggerSource", source);
            return event;
        }
        Map<String, String> attributes = event.getRequest() == null || event.getRequest().getUserAttributes() == null
                ? Map.of() : event.getRequest().getUserAttributes();
        String sub = attributes.get("sub");
        Optional<String> email = Emails.normalize(attributes.get("email"));
        if (sub == null || sub.isBlank() || email.isEmpty()) {
            // Nothing sensible to create; refusing would block the user's confirmation forever.
            LOG.warn("confirmation without sub or e-mail; no profile created", "triggerSource", source);
            return event;
        }
        // Confirming a sign-up or a password reset proves the e-mail: the code was sent there.
        var roles = provisioning.initialRoles(email.get(), true);
        boolean created = provisioning.createIfAbsent(sub, email.get(),
                Optional.ofNullable(attributes.get("name")).filter(n -> !n.isBlank()), roles, true);
        LOG.info("post-confirmation", "triggerSource", source, "userId", sub, "created", created);
        if (created) {
            mirrors.apply(event.getUserPoolId()).tryMirror(sub);
        }
        if ("PostConfirmation_ConfirmSignUp".equals(source)) {
            retireProfilesOfDeletedUsers(event.getUserPoolId(), sub, email.get());
        }
        return event;
    }

    /**
     * A new account at an address another profile still holds: that profile's Cognito user may have deleted itself
     * with its own token, outside the API (docs/SECURITY.md item 31). Cognito, asked, is authoritative; a gone user's
     * profile is retired as a deletion would, and audited. Never fails the confirmation.
     */
    private void retireProfilesOfDeletedUsers(String pool, String sub, String email) {
        try {
            for (String other : provisioning.idsOfEmail(email)) {
                if (!other.equals(sub)) {
                    drifts.apply(pool).reconcileIfGone(other, "post-confirmation");
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not look for profiles of deleted users at the address", e, "userId", sub);
        }
    }

    /** Production wiring: the pool comes from the event (the pool references this function, not the reverse). */
    private record Wiring(Provisioning provisioning, Function<String, RoleMirror> mirrors, Function<String, AccountDrift> drifts,
                          Runnable priming) {
        static Wiring from(TriggerComponents components) {
            AppConfig config = components.config();
            // Cognito gives the trigger 5 seconds in all: each call gives up well before, so a slow dependency
            // fails the attempt (Cognito retries it) instead of the function timing out mid-write.
            DynamoDbClient db = AwsClients.dynamoDb(config, CALL_BUDGET);
            var users = new UserRepository(db, config);
            CognitoIdentityProviderClient cognito = components.cognito(CALL_BUDGET);
            Map<String, RoleMirror> byPool = new ConcurrentHashMap<>();
            Map<String, AccountDrift> driftByPool = new ConcurrentHashMap<>();
            CognitoGateway primingPool = new CognitoGateway(cognito, config.region() + "_SnapStartPriming", null);
            Clock clock = Clock.systemUTC();
            return new Wiring(new Provisioning(users, config, clock),
                    pool -> byPool.computeIfAbsent(pool, p -> new RoleMirror(new CognitoGateway(cognito, p, null), users, config.roles())),
                    pool -> driftByPool.computeIfAbsent(pool, p -> new AccountDrift(new CognitoGateway(cognito, p, null), users,
                            new SessionRepository(db, config.tableName()), new OrgRepository(db, config.tableName()),
                            new AuditRepository(db, config.tableName()), Activity.NONE, clock)),
                    () -> {
                        prime("DynamoDB", () -> users.findRecord("snapstart-priming"));
                        prime("Cognito", () -> primingPool.adminListGroups("snapstart-priming"));
                        // marshalled, then refused by the priming guard: the group mirror of a new profile adds a group
                        prime("Cognito", () -> primingPool.adminAddToGroup("snapstart-priming", AppConfig.USER_ROLE));
                    });
        }

        private static void prime(String client, Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                // an answer, even an error (no such pool), has exercised the client; only the log differs
                LOG.info("priming call answered with an error", "client", client, "error", e.getClass().getSimpleName());
            }
        }
    }
}
