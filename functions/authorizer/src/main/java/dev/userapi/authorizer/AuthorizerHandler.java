package dev.userapi.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.log.Invocations;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.problem.TooManyRequestsException;
import dev.userapi.core.snapstart.Priming;
import dev.userapi.core.user.UserRecord;
import dev.userapi.tokens.CognitoAccessTokenVerifier;
import dev.userapi.tokens.TokenInvalidException;
import dev.userapi.tokens.VerifiedAccessToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.crac.Core;
import org.crac.Resource;

/**
 * The TOKEN authorizer in front of every non-public route ({@code AuthorizerFunction}).
 *
 * <ol>
 *   <li>{@code Authorization: Bearer <jwt>} (scheme case-insensitive) →
 *       {@link CognitoAccessTokenVerifier} (signature, issuer, client, token use, times, shape);</li>
 *   <li>one consistent DynamoDB read of the user's record: a {@code DISABLED} or {@code DELETED} user
 *       is refused, a token issued before {@code revokedBefore} is refused (sign-out-everywhere,
 *       disable, role change), the <em>current</em> roles are used; a user with no profile yet
 *       (created outside the API; {@code GET /me} heals it) gets {@code user} only;</li>
 *   <li>an {@link AccessPolicy} allowing every route those roles permit, with context
 *       {@code sub}, {@code username}, {@code roles} (sorted, comma-separated).</li>
 * </ol>
 * Every refusal — bad token, revoked, disabled, bug — is logged with its reason (never the token) and
 * answered with {@code RuntimeException("Unauthorized")}, which API Gateway turns into 401. When the
 * user store is unavailable (DynamoDB down or throttling) the token may well be good, so the answer is
 * not 401 but an authorizer failure ({@value #UNAVAILABLE}): API Gateway answers {@code AUTHORIZER_FAILURE},
 * which the template's {@code DEFAULT_5XX} gateway response makes a 503 {@code ServiceUnavailable}
 * (docs/SECURITY.md 25). Nothing is ever allowed on a failure.
 */
public final class AuthorizerHandler implements RequestStreamHandler, Resource {
    static final String UNAUTHORIZED = "Unauthorized";
    /** Any message but {@value #UNAUTHORIZED} is an authorizer failure to API Gateway (a 5xx, never Allow). */
    static final String UNAVAILABLE = "ServiceUnavailable: the user store cannot be read";
    private static final Log LOG = Log.of(AuthorizerHandler.class);
    private static final int MAX_HEADER_LENGTH = CognitoAccessTokenVerifier.MAX_TOKEN_LENGTH + 64;

    private final CognitoAccessTokenVerifier verifier;
    private final UserRecords users;
    private final Set<String> knownRoles;
    private final Invocations invocations = new Invocations();

    /** Used by the Lambda runtime: wired from the process environment. */
    public AuthorizerHandler() {
        this(System.getenv());
    }

    /**
     * Wired from {@code env} (the local stack passes each function its own): configuration read once,
     * JWKS loaded now (a failure is retried lazily), registered for SnapStart's hooks.
     */
    public AuthorizerHandler(Map<String, String> env) {
        this(AuthorizerComponents.from(env));
        Core.getGlobalContext().register(this);
    }

    private AuthorizerHandler(AuthorizerComponents components) {
        this(components.verifier(), components.users(), components.roles());
        if (!prime()) {
            LOG.warn("JWKS not loaded at start-up; the first token will retry", "url", components.config().jwksUrl().toString());
        }
    }

    /**
     * For tests and the benchmark (bench/): the verifier, the user store and the known roles (only these reach the
     * context). Public so that code outside this package, such as the benchmark's in-memory user store, wires the
     * handler without the environment; the Lambda runtime uses the no-arg constructor.
     */
    public AuthorizerHandler(CognitoAccessTokenVerifier verifier, UserRecords users, List<String> knownRoles) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.users = Objects.requireNonNull(users, "users");
        this.knownRoles = Set.copyOf(knownRoles);
    }

    /**
     * (Re)loads the JWKS and warms the verification path; for SnapStart's {@code beforeCheckpoint}.
     * Never throws.
     *
     * @return whether signing keys are cached
     */
    public boolean prime() {
        try {
            return verifier.prime();
        } catch (RuntimeException e) {
            LOG.warn("Priming the verifier failed", e);
            return false;
        }
    }

    /**
     * SnapStart: before the snapshot, load the JWKS, warm the verifier and make one DynamoDB read, so
     * a restored environment verifies its first token without fetching keys or initialising the SDK.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
        // under core's priming guard: only reads are sent; a failure is logged, never thrown
        Priming.run("authorizer user store", () -> users.findRecord("snapstart-priming"));
    }

    /** After a restore the cached keys are still valid; their age decides when they are refreshed. */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to do
    }

    /**
     * The Lambda entry point ({@code template.yaml}: {@code AuthorizerHandler::handleRequest}): the TOKEN event
     * as JSON in, the policy as JSON out, by {@link AuthorizerCodec} (streaming, not the runtime's
     * reflection-based serialisation, for the cold start).
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (Log.Scope scope = invocations.enter(context)) {
            AuthorizerCodec.writeAllowed(decide(AuthorizerCodec.readEvent(input)), output);
        }
    }

    /** The authorizer's decision for one event: a policy, or {@code RuntimeException("Unauthorized")}. */
    public IamPolicyResponseV1 authorize(APIGatewayCustomAuthorizerEvent event, Context context) {
        return AccessPolicy.allow(decide(event));
    }

    /** The decision, as {@link #authorize} but before any response object is built (the entry point writes it directly). */
    AccessPolicy.Allowed decide(APIGatewayCustomAuthorizerEvent event) {
        String sub = null;
        try {
            if (event == null) {
                throw deny("NO_EVENT", null);
            }
            String token = bearerToken(event.getAuthorizationToken());
            String prefix = stagePrefix(event.getMethodArn());
            VerifiedAccessToken verified = verifier.verify(token);
            sub = verified.sub();
            List<String> roles = currentRoles(verified);
            return new AccessPolicy.Allowed(prefix, verified, roles);
        } catch (TokenInvalidException e) {
            LOG.warn("Unauthorized", "reason", e.reason().name(), "detail", e.getMessage());
            throw new RuntimeException(UNAUTHORIZED);
        } catch (Denied e) {
            throw new RuntimeException(UNAUTHORIZED);
        } catch (StoreUnavailable e) {
            throw new IllegalStateException(UNAVAILABLE);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("Unauthorized: the authorizer failed", e, "reason", "AUTHORIZER_ERROR", "sub", String.valueOf(sub));
            throw new RuntimeException(UNAUTHORIZED);
        }
    }

    /** The roles to authorize with, from the user's record; throws {@link Denied} if the user may not proceed. */
    private List<String> currentRoles(VerifiedAccessToken token) {
        Optional<UserRecord> found;
        try {
            found = users.findRecord(token.sub());
        } catch (ServiceUnavailableException | TooManyRequestsException e) {
            LOG.warn("Authorizer failure", "reason", "USER_STORE_UNAVAILABLE", "sub", token.sub(), "error", e.getClass().getSimpleName());
            throw new StoreUnavailable();
        } catch (RuntimeException e) {
            throw deny("USER_STORE_ERROR", token.sub(), "error", e.getClass().getSimpleName());
        }
        if (found.isEmpty()) {
            LOG.info("No profile for a verified token; authorizing with the default role", "sub", token.sub());
            return List.of(AppConfig.USER_ROLE);
        }
        UserRecord user = found.get();
        if (!user.isActive()) {
            throw deny("USER_" + user.status(), token.sub());
        }
        if (user.revokes(token.issuedAt())) {
            throw deny("REVOKED", token.sub(), "iat", token.issuedAt());
        }
        if (token.originJti().filter(user::revokesSession).isPresent()) {
            throw deny("SESSION_REVOKED", token.sub()); // that session logged out (docs/SECURITY.md item 10)
        }
        return knownSorted(user.roles());
    }

    /** The known ones of {@code roles}, each once, sorted; a single role (most users) without a stream. */
    private List<String> knownSorted(List<String> roles) {
        if (roles.size() == 1) {
            String role = roles.get(0);
            return knownRoles.contains(role) ? List.of(role) : List.of();
        }
        return roles.stream().filter(knownRoles::contains).distinct().sorted().toList();
    }

    private static String bearerToken(String header) {
        if (header == null || header.length() > MAX_HEADER_LENGTH) {
            throw deny(header == null ? "NO_TOKEN" : "TOKEN_TOO_LARGE", null);
        }
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            throw deny("NOT_BEARER", null);
        }
        int start = space;
        while (start < header.length() && header.charAt(start) == ' ') {
            start++;
        }
        return header.substring(start);
    }

    private static String stagePrefix(String methodArn) {
        try {
            return AccessPolicy.stagePrefix(methodArn);
        } catch (IllegalArgumentException e) {
            throw deny("BAD_METHOD_ARN", null, "detail", e.getMessage());
        }
    }

    private static Denied deny(String reason, String sub, Object... more) {
        Object[] fields = new Object[4 + more.length];
        fields[0] = "reason";
        fields[1] = reason;
        fields[2] = "sub";
        fields[3] = String.valueOf(sub);
        System.arraycopy(more, 0, fields, 4, more.length);
        LOG.warn("Unauthorized", fields);
        return new Denied();
    }

    /** The user store could not answer (logged already): not the caller's fault, so not a 401. */
    private static final class StoreUnavailable extends RuntimeException {
        StoreUnavailable() {
            super(UNAVAILABLE, null, false, false);
        }
    }

    /** A refusal that has been logged already. */
    private static final class Denied extends RuntimeException {
        Denied() {
            super(UNAUTHORIZED, null, false, false);
        }
    }
}
