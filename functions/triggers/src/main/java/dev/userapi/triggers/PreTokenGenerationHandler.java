package dev.userapi.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreTokenGenerationEvent;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreTokenGenerationEventV2;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.userapi.core.log.Invocations;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.snapstart.Priming;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crac.Core;
import org.crac.Resource;

/**
 * Cognito's pre-token-generation trigger: stamps the user's current roles, read from DynamoDB (the
 * source of truth), into the tokens as {@code cognito:groups} and a {@code roles} claim.
 *
 * <p>Understands both event versions: V1 (what cognito-local sends, and AWS for pools configured
 * with V1: overrides reach the ID token) and V2 (what {@code template.yaml} configures: overrides
 * reach the access token too). Least privilege on failure: if DynamoDB cannot be read in time, or the
 * account is disabled, the tokens carry no roles, rather than a default or an error that would block
 * every sign-in. Roles never come from user-writable attributes or client metadata.
 */
public final class PreTokenGenerationHandler implements RequestStreamHandler, Resource {
    private static final Log LOG = Log.of(PreTokenGenerationHandler.class);
    /** Cognito allows the trigger 5 s in all; the roles read must give up well before. */
    static final Duration DYNAMODB_BUDGET = Duration.ofMillis(1500);
    static final String ROLES_CLAIM = "roles";

    /** Events are Cognito's: tolerate fields AWS adds later, omit nulls on the way back. */
    private static final ObjectMapper EVENTS = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private final UserRepository users;
    private final EmailDrift drift;
    private final Invocations invocations = new Invocations();

    /** Used by the Lambda runtime: wired from the process environment. */
    public PreTokenGenerationHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env} (the local stack passes each function its own), registered for SnapStart's hooks. */
    public PreTokenGenerationHandler(Map<String, String> env) {
        this(TriggerComponents.from(env));
        Core.getGlobalContext().register(this);
    }

    private PreTokenGenerationHandler(TriggerComponents c) {
        this(c.users(DYNAMODB_BUDGET), new EmailDrift(c.users(DYNAMODB_BUDGET), c.audit(DYNAMODB_BUDGET), c.activity(DYNAMODB_BUDGET),
                java.time.Clock.systemUTC()));
    }

    PreTokenGenerationHandler(UserRepository users) {
        this(users, EmailDrift.NONE);
    }

    PreTokenGenerationHandler(UserRepository users, EmailDrift drift) {
        this.users = users;
        this.drift = drift;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (Log.Scope scope = invocations.enter(context)) {
            JsonNode tree = EVENTS.readTree(input);
            Object response = "2".equals(tree.path("version").asText())
                    ? v2(EVENTS.treeToValue(tree, CognitoUserPoolPreTokenGenerationEventV2.class))
                    : v1(EVENTS.treeToValue(tree, CognitoUserPoolPreTokenGenerationEvent.class));
            EVENTS.writeValue(output, response);
        }
    }

    CognitoUserPoolPreTokenGenerationEventV2 v2(CognitoUserPoolPreTokenGenerationEventV2 event) {
        List<String> roles = currentRoles(event.getRequest() == null ? null : event.getRequest().getUserAttributes());
        Map<String, String> claims = Map.of(ROLES_CLAIM, String.join(",", roles));
        String[] groups = roles.toArray(String[]::new);
        event.setResponse(CognitoUserPoolPreTokenGenerationEventV2.Response.builder()
                .withClaimsAndScopeOverrideDetails(CognitoUserPoolPreTokenGenerationEventV2.ClaimsAndScopeOverrideDetails.builder()
                        .withIdTokenGeneration(CognitoUserPoolPreTokenGenerationEventV2.IdTokenGeneration.builder()
                                .withClaimsToAddOrOverride(claims).build())
                        .withAccessTokenGeneration(CognitoUserPoolPreTokenGenerationEventV2.AccessTokenGeneration.builder()
                                .withClaimsToAddOrOverride(claims).build())
                        .withGroupOverrideDetails(CognitoUserPoolPreTokenGenerationEventV2.GroupOverrideDetails.builder()
                                .withGroupsToOverride(groups).build())
                        .build())
                .build());
        return event;
    }

    CognitoUserPoolPreTokenGenerationEvent v1(CognitoUserPoolPreTokenGenerationEvent event) {
        List<String> roles = currentRoles(event.getRequest() == null ? null : event.getRequest().getUserAttributes());
        event.setResponse(CognitoUserPoolPreTokenGenerationEvent.Response.builder()
                .withClaimsOverrideDetails(CognitoUserPoolPreTokenGenerationEvent.ClaimsOverrideDetails.builder()
                        .withClaimsToAddOrOverride(Map.of(ROLES_CLAIM, String.join(",", roles)))
                        .withGroupOverrideDetails(CognitoUserPoolPreTokenGenerationEvent.GroupConfiguration.builder()
                                .withGroupsToOverride(roles.toArray(String[]::new)).build())
                        .build())
                .build());
        return event;
    }

    /**
     * SnapStart priming, before the snapshot is taken: runs a whole invocation for a user that does
     * not exist, so the snapshot holds loaded and initialised Jackson, event and SDK classes and a
     * warm DynamoDB client instead of paying for them on the first real sign-in. Under core's priming guard
     * ({@link Priming#run}): only reads are sent, and a failure is logged, never thrown.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        String event = "{\"version\":\"2\",\"triggerSource\":\"TokenGeneration_Authentication\",\"userPoolId\":\"priming\","
                + "\"userName\":\"priming\",\"request\":{\"userAttributes\":{\"sub\":\"snapstart-priming\"}},\"response\":{}}";
        Priming.run("pre-token-generation invocation", () -> {
            try {
                handleRequest(new java.io.ByteArrayInputStream(event.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        java.io.OutputStream.nullOutputStream(), null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: the SDK client reconnects on its own and credentials are resolved per call
    }

    /** The roles to stamp: the profile's, or none at all when they cannot be trusted or read. */
    List<String> currentRoles(Map<String, String> userAttributes) {
        String sub = userAttributes == null ? null : userAttributes.get("sub");
        if (sub == null || sub.isBlank()) {
            LOG.warn("token generation without sub; no roles issued");
            return List.of();
        }
        try {
            // one consistent read of the whole profile serves the roles and the e-mail drift check (the item is billed
            // whole either way: a projection would save bytes, not capacity)
            Optional<UserProfile> profile = users.find(sub);
            if (profile.isEmpty()) {
                LOG.info("no profile yet (or only its tombstone); no roles issued until it exists", "userId", sub);
                return List.of();
            }
            if (profile.get().status() != UserStatus.ENABLED) {
                LOG.info("account not active; no roles issued", "userId", sub, "status", profile.get().status().name());
                return List.of();
            }
            drift.reconcile(profile.get(), userAttributes); // never fails the issuance
            return profile.get().roles();
        } catch (RuntimeException e) {
            if (e instanceof ApiException translated) {
                // the store's failure itself was logged where it was translated (DynamoErrors)
                LOG.warn("could not read roles; tokens issued without roles", "userId", sub, "code", translated.code().name());
            } else {
                LOG.warn("could not read roles; tokens issued without roles", e, "userId", sub);
            }
            return List.of();
        }
    }
}
