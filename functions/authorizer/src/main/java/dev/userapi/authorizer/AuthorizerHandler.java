package dev.userapi.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.userapi.core.aws.AwsClients;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.json.Json;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.problem.TooManyRequestsException;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserRepository;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.userapi.tokens.CognitoAccessTokenVerifier;
import dev.userapi.tokens.TokenInvalidException;
import dev.userapi.tokens.VerifiedAccessToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Collection;
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
 * (SECURITY.md 25). Nothing is ever allowed on a failure.
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

    /** Used by the Lambda runtime: configuration from the environment, JWKS loaded now (a failure is retried lazily). */
    public AuthorizerHandler() {
        this(AuthorizerConfig.fromEnvironment(), AppConfig.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    private AuthorizerHandler(AuthorizerConfig config, AppConfig app) {
        this(CognitoAccessTokenVerifier.builder(config.issuer(), config.clientIds())
                        .jwksUrl(config.jwksUrl())
                        .leeway(config.leeway())
                        .build(),
                new UserRepository(AwsClients.dynamoDb(app.region(), app.dynamoDbEndpoint()), app)::findRecord,
                app.roles());
        if (!prime()) {
            LOG.warn("JWKS not loaded at start-up; the first token will retry", "url", config.jwksUrl().toString());
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
        try {
            users.findRecord("snapstart-priming");
        } catch (RuntimeException e) {
            LOG.warn("Priming the user store failed", e);
        }
    }

    /** After a restore the cached keys are still valid; their age decides when they are refreshed. */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to do
    }

    /**
     * The Lambda entry point ({@code template.yaml}: {@code AuthorizerHandler::handleRequest}): the TOKEN event
     * as JSON in, the policy as JSON out, read and written with the core layer's Jackson (streaming). Not the
     * runtime's reflection-based serialisation of the event classes: loading it (a second, shaded Jackson
     * with its mix-ins) cost about a quarter of a second of every cold start. The JSON is what that
     * serialisation writes ({@code principalId}, {@code policyDocument}, {@code context}; no nulls).
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        IamPolicyResponseV1 response = authorize(readEvent(input), context);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(output)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeStringField("principalId", response.getPrincipalId());
            json.writeFieldName("policyDocument");
            write(json, response.getPolicyDocument());
            if (response.getContext() != null) {
                json.writeFieldName("context");
                write(json, response.getContext());
            }
            if (response.getUsageIdentifierKey() != null) {
                json.writeStringField("usageIdentifierKey", response.getUsageIdentifierKey());
            }
            json.writeEndObject();
        }
    }

    /** The TOKEN event's three fields; null (refused as no event) if the input is not a JSON object. */
    static APIGatewayCustomAuthorizerEvent readEvent(InputStream input) {
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        try (JsonParser json = Json.mapper().getFactory().createParser(input)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                String text = value == JsonToken.VALUE_STRING ? json.getText() : null;
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    json.skipChildren(); // a nested value is never one of the three fields, nor read as top-level ones
                }
                switch (name) {
                    case "type" -> event.setType(text);
                    case "authorizationToken" -> event.setAuthorizationToken(text);
                    case "methodArn" -> event.setMethodArn(text);
                    default -> { }
                }
            }
            return json.currentToken() == JsonToken.END_OBJECT ? event : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The policy document and context: maps, lists, arrays and strings, as IamPolicyResponseV1 holds them. */
    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() == null) {
                    continue; // as the runtime's serialisation: IamPolicyResponseV1 puts "Condition": null in every statement
                }
                json.writeFieldName(String.valueOf(e.getKey()));
                write(json, e.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                write(json, element);
            }
            json.writeEndArray();
        } else if (value instanceof Object[] array) {
            json.writeStartArray();
            for (Object element : array) {
                write(json, element);
            }
            json.writeEndArray();
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Long || value instanceof Integer) {
            json.writeNumber(((Number) value).longValue());
        } else {
            json.writeString(String.valueOf(value));
        }
    }

    /** The authorizer's decision for one event: a policy, or {@code RuntimeException("Unauthorized")}. */
    public IamPolicyResponseV1 authorize(APIGatewayCustomAuthorizerEvent event, Context context) {
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
            return AccessPolicy.allow(prefix, verified, roles);
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
        return user.roles().stream().filter(knownRoles::contains).distinct().sorted().toList();
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
