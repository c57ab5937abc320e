package dev.userapi.authorizer;

import static dev.userapi.tokens.Tokens.CLIENT_ID;
import static dev.userapi.tokens.Tokens.POOL_KID;
import static dev.userapi.tokens.Tokens.accessClaims;
import static dev.userapi.tokens.Tokens.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserStatus;
import dev.userapi.tokens.CognitoAccessTokenVerifier;
import dev.userapi.tokens.JwksServer;
import dev.userapi.tokens.MutableClock;
import dev.userapi.tokens.TestKeys;
import dev.userapi.tokens.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/SECURITY.md §A10–A11 and the handler's contract: Allow policies, context, and 401 for every failure. */
class AuthorizerHandlerTest {
    static final String SUB = "5f3b1c2a-8d4e-4f6a-9b7c-0123456789ab";
    static final String PREFIX = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/";
    static final String METHOD_ARN = PREFIX + "GET/me";

    /** Every protected route of docs/openapi.yaml, as METHOD path. */
    static final List<String> ME_ROUTES = List.of("GET /me", "PATCH /me", "DELETE /me", "POST /me/password",
            "POST /me/mfa/totp", "POST /me/mfa/totp/verify", "DELETE /me/mfa", "GET /me/sessions",
            "POST /me/sign-out-everywhere");
    static final List<String> ADMIN_ROUTES = List.of("GET /users", "POST /users", "GET /users/u-1", "PATCH /users/u-1",
            "PUT /users/u-1/roles", "POST /users/u-1/disable", "POST /users/u-1/enable", "POST /users/u-1/reset-password",
            "POST /users/u-1/sign-out", "DELETE /users/u-1", "GET /users/u-1/audit",
            // ids that look like the caller's own routes must not slip through a /me pattern
            "GET /users/me", "DELETE /users/me", "PUT /users/me/roles", "POST /users/x/me");

    private JwksServer server;
    private MutableClock clock;
    private CognitoAccessTokenVerifier verifier;
    private final AtomicInteger reads = new AtomicInteger();
    private Optional<UserRecord> record;
    private RuntimeException storeFailure;
    private AuthorizerHandler handler;

    @BeforeEach
    void setUp() throws Exception {
        server = JwksServer.withKeys(POOL_KID, TestKeys.POOL);
        clock = MutableClock.atNow();
        verifier = CognitoAccessTokenVerifier.builder(server.issuer(), List.of(CLIENT_ID))
                .jwksUrl(server.jwksUrl())
                .clock(clock)
                .leeway(Duration.ofSeconds(5))
                .build();
        record = Optional.of(user(UserStatus.ENABLED, List.of("user"), OptionalLong.empty()));
        handler = new AuthorizerHandler(verifier, sub -> {
            reads.incrementAndGet();
            assertThat(sub).isEqualTo(SUB);
            if (storeFailure != null) {
                throw storeFailure;
            }
            return record;
        }, List.of("user", "admin"));
        assertThat(handler.prime()).isTrue();
    }

    @AfterEach
    void tearDown() {
        server.close();
        Log.redirect(null);
    }

    private static UserRecord user(UserStatus status, List<String> roles, OptionalLong revokedBeforeMillis) {
        return new UserRecord(SUB, status, roles, revokedBeforeMillis);
    }

    private Map<String, Object> claims() {
        return accessClaims(server.issuer(), clock.epochSecond());
    }

    private String token(Map<String, Object> claims) {
        return Tokens.rs256(header(), claims, TestKeys.POOL.getPrivate());
    }

    private static APIGatewayCustomAuthorizerEvent event(String authorization, String methodArn) {
        APIGatewayCustomAuthorizerEvent e = new APIGatewayCustomAuthorizerEvent();
        e.setType("TOKEN");
        e.setAuthorizationToken(authorization);
        e.setMethodArn(methodArn);
        return e;
    }

    private IamPolicyResponseV1 authorize(String token) {
        return handler.authorize(event("Bearer " + token, METHOD_ARN), null);
    }

    private void assertUnauthorized(APIGatewayCustomAuthorizerEvent event) {
        assertThatThrownBy(() -> handler.authorize(event, null))
                .isExactlyInstanceOf(RuntimeException.class)
                .hasMessage("Unauthorized");
    }

    private void assertUnauthorized(String token) {
        assertUnauthorized(event("Bearer " + token, METHOD_ARN));
    }

    /** The Allow resources, read from the JSON the Lambda runtime sends back to API Gateway. */
    private static List<String> resources(IamPolicyResponseV1 policy) {
        JsonNode json = Tokens.JSON.valueToTree(policy);
        assertThat(json.path("principalId").asText()).isNotBlank();
        assertThat(json.path("policyDocument").path("Version").asText()).isEqualTo("2012-10-17");
        List<String> out = new ArrayList<>();
        for (JsonNode statement : json.path("policyDocument").path("Statement")) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            assertThat(statement.path("Action").asText()).isEqualTo("execute-api:Invoke");
            statement.path("Resource").forEach(r -> out.add(r.asText()));
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /** IAM resource matching: {@code *} matches any run of characters (including '/'), {@code ?} one character. */
    static boolean allows(List<String> resources, String arn) {
        for (String resource : resources) {
            StringBuilder regex = new StringBuilder();
            for (char c : resource.toCharArray()) {
                regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            if (arn.matches(regex.toString())) {
                return true;
            }
        }
        return false;
    }

    private static String arn(String route) {
        String[] parts = route.split(" ");
        return PREFIX + parts[0] + parts[1];
    }

    // ------------------------------------------------------------------ allowed: policy shape and context

    @Test
    void user_getsAnAllowPolicy_forTheirOwnRoutesOnly() {
        IamPolicyResponseV1 policy = authorize(token(claims()));

        assertThat(policy.getPrincipalId()).isEqualTo(SUB);
        List<String> resources = resources(policy);
        assertThat(resources).contains(PREFIX + "GET/me", PREFIX + "GET/me/*").allMatch(r -> r.startsWith(PREFIX));
        assertThat(resources).noneMatch(r -> r.contains("/users"));
        assertThat(policy.getContext()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "sub", SUB, "username", "ada@example.com", "roles", "user",
                "authTime", Long.toString(clock.epochSecond())));
    }

    @Test
    void b32_context_carriesTheTokensAuthTime_forTheRoutesThatNeedARecentSignIn() {
        Map<String, Object> claims = claims();
        claims.put("auth_time", clock.epochSecond() - 4000);

        assertThat(authorize(token(claims)).getContext()).containsEntry("authTime", Long.toString(clock.epochSecond() - 4000));
        assertThat(reads.get()).isEqualTo(1);
    }

    @Test
    void b32_aTokenWithoutAuthTime_hasAnUnknownAuthTime_andOneWithAMalformedOne_isRefused() {
        Map<String, Object> without = claims();
        without.remove("auth_time");
        assertThat(authorize(token(without)).getContext()).containsEntry("authTime", "0");

        Map<String, Object> malformed = claims();
        malformed.put("auth_time", "yesterday");
        assertThatThrownBy(() -> authorize(token(malformed))).hasMessage("Unauthorized");
    }

    @Test
    void admin_getsAnAllowPolicy_includingTheAdminRoutes() {
        record = Optional.of(user(UserStatus.ENABLED, List.of("user", "admin"), OptionalLong.empty()));

        IamPolicyResponseV1 policy = authorize(token(claims()));

        assertThat(resources(policy)).contains(PREFIX + "GET/users", PREFIX + "DELETE/users/*", PREFIX + "GET/me");
        assertThat(policy.getContext()).containsEntry("roles", "admin,user");
    }

    @Test
    void a11_cachedPolicy_coversEveryRouteTheRoleMayCall_andNoOther() {
        List<String> user = resources(authorize(token(claims())));
        for (String route : ME_ROUTES) {
            assertThat(allows(user, arn(route))).as(route).isTrue();
        }
        for (String route : ADMIN_ROUTES) {
            assertThat(allows(user, arn(route))).as(route).isFalse();
        }
        assertThat(allows(user, arn("GET /health"))).isFalse();
        assertThat(allows(user, "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/other-stage/GET/me")).isFalse();
        assertThat(allows(user, "arn:aws:execute-api:eu-west-1:123456789012:otherapi99/prod/GET/me")).isFalse();

        record = Optional.of(user(UserStatus.ENABLED, List.of("admin", "user"), OptionalLong.empty()));
        List<String> admin = resources(authorize(token(claims())));
        for (String route : ME_ROUTES) {
            assertThat(allows(admin, arn(route))).as(route).isTrue();
        }
        for (String route : ADMIN_ROUTES) {
            assertThat(allows(admin, arn(route))).as(route).isTrue();
        }
    }

    @Test
    void a11_policy_doesNotDependOnTheRouteThatTriggeredIt() {
        String t = token(claims());
        IamPolicyResponseV1 viaMe = handler.authorize(event("Bearer " + t, PREFIX + "GET/me"), null);
        IamPolicyResponseV1 viaUsers = handler.authorize(event("Bearer " + t, PREFIX + "DELETE/users/u-1"), null);
        IamPolicyResponseV1 viaNested = handler.authorize(event("Bearer " + t, PREFIX + "POST/me/mfa/totp/verify"), null);

        assertThat(resources(viaUsers)).isEqualTo(resources(viaMe)).isEqualTo(resources(viaNested));
        assertThat(allows(resources(viaUsers), PREFIX + "DELETE/users/u-1")).isFalse(); // a user asking for an admin route: 403
    }

    @Test
    void a11_context_passesSubUsernameRolesAndAuthTime_asStrings() {
        record = Optional.of(user(UserStatus.ENABLED, List.of("user", "admin", "admin"), OptionalLong.empty()));
        IamPolicyResponseV1 policy = authorize(token(claims()));

        assertThat(policy.getContext()).containsOnlyKeys("sub", "username", "roles", "authTime");
        assertThat(policy.getContext().values()).allMatch(String.class::isInstance);
        assertThat(policy.getContext().get("roles")).isEqualTo("admin,user");
    }

    @Test
    void a11_methodArnOfAnotherPartitionAndStage_isPreserved() {
        IamPolicyResponseV1 policy = handler.authorize(event("Bearer " + token(claims()),
                "arn:aws-cn:execute-api:cn-north-1:210987654321:abcdef1234/$default/PATCH/me"), null);
        assertThat(resources(policy)).contains("arn:aws-cn:execute-api:cn-north-1:210987654321:abcdef1234/$default/PATCH/me");
    }

    @Test
    void roles_areTheCurrentDynamoDbRoles_notTheTokensGroups() {
        // the token still says admin (issued before a demotion); DynamoDB says user
        String promoted = token(with(claims(), "cognito:groups", List.of("admin", "user")));
        IamPolicyResponseV1 policy = authorize(promoted);
        assertThat(policy.getContext()).containsEntry("roles", "user");
        assertThat(resources(policy)).noneMatch(r -> r.contains("/users"));

        // and the other way round: promoted in DynamoDB, token not yet refreshed
        record = Optional.of(user(UserStatus.ENABLED, List.of("admin", "user"), OptionalLong.empty()));
        assertThat(authorize(token(claims())).getContext()).containsEntry("roles", "admin,user");
    }

    @Test
    void roles_unknownOrMalformedStoredRoles_neverReachTheContext() {
        record = Optional.of(user(UserStatus.ENABLED, List.of("user", "user,admin", "superuser", " admin"), OptionalLong.empty()));

        IamPolicyResponseV1 policy = authorize(token(claims()));

        assertThat(policy.getContext()).containsEntry("roles", "user");
        assertThat(resources(policy)).noneMatch(r -> r.contains("/users"));
    }

    @Test
    void missingProfile_isAllowedWithTheUserRoleOnly() {
        record = Optional.empty();
        IamPolicyResponseV1 policy = authorize(token(with(claims(), "cognito:groups", List.of("admin"))));

        assertThat(policy.getContext()).containsEntry("roles", "user");
        assertThat(resources(policy)).noneMatch(r -> r.contains("/users"));
    }

    @Test
    void profileWithoutRoles_canStillReachItsOwnRoutes() {
        record = Optional.of(user(UserStatus.ENABLED, List.of(), OptionalLong.empty()));
        IamPolicyResponseV1 policy = authorize(token(claims()));

        assertThat(policy.getContext()).containsEntry("roles", "");
        assertThat(allows(resources(policy), arn("GET /me"))).isTrue();
    }

    @Test
    void eachDecision_readsTheUserRecordExactlyOnce() {
        authorize(token(claims()));
        assertThat(reads).hasValue(1);
        assertUnauthorized(token(with(claims(), "client_id", "other")));
        assertThat(reads).as("an invalid token never reaches DynamoDB").hasValue(1);
    }

    // ------------------------------------------------------------------ A10: revocation and status

    @Test
    void a10_tokenIssuedBeforeRevokedBefore_isUnauthorized() {
        long iat = clock.epochSecond();
        record = Optional.of(user(UserStatus.ENABLED, List.of("user"), OptionalLong.of(iat * 1000 + 1)));
        assertUnauthorized(token(claims()));

        record = Optional.of(user(UserStatus.ENABLED, List.of("user"), OptionalLong.of(iat * 1000)));
        assertThat(authorize(token(claims())).getPrincipalId()).isEqualTo(SUB);
    }

    @Test
    void a10_tokenOfALoggedOutSession_isUnauthorized_andOtherSessionsAreNot() {
        record = Optional.of(new UserRecord(SUB, UserStatus.ENABLED, List.of("user"), OptionalLong.empty(), OptionalLong.empty(),
                Map.of("session-1", clock.epochSecond() + 3900)));

        assertUnauthorized(token(with(claims(), "origin_jti", "session-1")));
        assertThat(authorize(token(with(claims(), "origin_jti", "session-2"))).getPrincipalId()).isEqualTo(SUB);
        assertThat(authorize(token(claims())).getPrincipalId()).as("a token without origin_jti").isEqualTo(SUB);
    }

    @Test
    void a10_revocation_isKeyedOnSubAndIat_notOnTheTokenString() {
        long now = clock.epochSecond();
        record = Optional.of(user(UserStatus.ENABLED, List.of("user"), OptionalLong.of(now * 1000)));
        // every token of that user issued before the instant, whatever its jti or spelling, is refused
        for (int i = 0; i < 5; i++) {
            assertUnauthorized(token(with(with(claims(), "iat", now - 60 - i), "jti", "jti-" + i)));
        }
        // a token issued after it is accepted
        assertThat(authorize(token(with(claims(), "iat", now + 1))).getPrincipalId()).isEqualTo(SUB);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DISABLED", "DELETED"})
    void a10_disabledOrDeletedUser_isUnauthorized(String status) {
        record = Optional.of(user(UserStatus.valueOf(status), List.of("user", "admin"), OptionalLong.empty()));
        assertUnauthorized(token(claims()));
    }

    @Test
    void a10_d25_dynamoDbUnavailable_isAnAuthorizerFailure_soTheGatewayAnswers503_neverAllowed() {
        // a good token while the user store is down or throttling: not the caller's fault, so not 401;
        // any error but "Unauthorized" is AUTHORIZER_FAILURE to API Gateway, which DEFAULT_5XX makes a 503
        for (RuntimeException failure : List.of(new ServiceUnavailableException("The user store is unavailable; try again later."),
                new dev.userapi.core.problem.TooManyRequestsException(1, new RuntimeException("throttled")))) {
            storeFailure = failure;
            assertThatThrownBy(() -> handler.authorize(event("Bearer " + token(claims()), METHOD_ARN), null))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage(AuthorizerHandler.UNAVAILABLE)
                    .hasMessageNotContaining("Unauthorized");
        }
    }

    @Test
    void a10_d25_dynamoDbUnavailable_withABadToken_isStillUnauthorized_andNothingIsRead() {
        storeFailure = new ServiceUnavailableException("The user store is unavailable; try again later.");
        int before = reads.get();
        assertUnauthorized(token(with(claims(), "token_use", "id")));
        assertThat(reads).as("the store is read only for a verified token").hasValue(before);
    }

    @Test
    void a10_unexpectedUserStoreError_isUnauthorized_neverAllowed() {
        storeFailure = new IllegalStateException("anything else");
        assertUnauthorized(token(claims()));
    }

    // ------------------------------------------------------------------ the Authorization header

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "bearer ", "BEARER ", "BeArEr ", "Bearer   "})
    void bearerScheme_isCaseInsensitive(String scheme) {
        assertThat(handler.authorize(event(scheme + token(claims()), METHOD_ARN), null).getPrincipalId()).isEqualTo(SUB);
    }

    @Test
    void authorizationHeaderWithoutBearerToken_isUnauthorized() {
        String t = token(claims());
        for (String header : new String[] {null, "", t, "Basic " + t, "Bearer", "Bearer ", "Bearer\t" + t, "Token " + t,
                "Bearer " + t + " extra", " Bearer " + t, "Bearer " + t + "\n", "Bearer " + "a".repeat(20_000)}) {
            assertUnauthorized(event(header, METHOD_ARN));
        }
        assertUnauthorized((APIGatewayCustomAuthorizerEvent) null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-an-arn", "arn:aws:lambda:eu-west-1:123456789012:function:x",
            "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5", "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod",
            "arn:aws:execute-api:eu-west-1:123456789012:*/prod/GET/me", "arn:aws:execute-api:eu-west-1:*:a1b2c3d4e5/prod/GET/me",
            "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*/GET/me"})
    void malformedMethodArn_isUnauthorized(String methodArn) {
        assertUnauthorized(event("Bearer " + token(claims()), methodArn));
        assertUnauthorized(event("Bearer " + token(claims()), null));
    }

    // ------------------------------------------------------------------ every token failure is a plain 401

    @Test
    void invalidTokens_areUnauthorized() {
        long now = clock.epochSecond();
        assertUnauthorized(token(with(with(claims(), "iat", now - 7200), "exp", now - 3600)));     // expired
        assertUnauthorized(token(with(claims(), "token_use", "id")));                              // ID token
        assertUnauthorized(token(with(claims(), "client_id", "another-client")));                  // other client
        assertUnauthorized(token(with(claims(), "iss", server.issuer() + "/")));                    // other issuer
        assertUnauthorized(Tokens.rs256(header(), claims(), TestKeys.ATTACKER.getPrivate()));       // tampered / forged
        assertUnauthorized("garbage");
        assertThat(reads).hasValue(0);
    }

    @Test
    void unexpectedErrors_areUnauthorized_neverA500() {
        AuthorizerHandler broken = new AuthorizerHandler(verifier, sub -> {
            throw new StackOverflowError();
        }, List.of("user", "admin"));
        assertThatThrownBy(() -> broken.authorize(event("Bearer " + token(claims()), METHOD_ARN), null))
                .isExactlyInstanceOf(RuntimeException.class).hasMessage("Unauthorized");

        AuthorizerHandler nulls = new AuthorizerHandler(verifier, sub -> null, List.of("user", "admin"));
        assertThatThrownBy(() -> nulls.authorize(event("Bearer " + token(claims()), METHOD_ARN), null))
                .isExactlyInstanceOf(RuntimeException.class).hasMessage("Unauthorized");
    }

    @Test
    void logs_giveTheReason_butNeverTheToken() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String expired = token(with(with(claims(), "iat", clock.epochSecond() - 7200), "exp", clock.epochSecond() - 3600));
        String foreign = token(with(claims(), "client_id", "another-client"));
        String valid = token(claims());

        assertUnauthorized(expired);
        assertUnauthorized(foreign);
        record = Optional.of(user(UserStatus.DISABLED, List.of("user"), OptionalLong.empty()));
        assertUnauthorized(valid);
        storeFailure = new IllegalStateException("boom");
        assertUnauthorized(valid);
        storeFailure = new ServiceUnavailableException("The user store is unavailable; try again later.");
        assertThatThrownBy(() -> handler.authorize(event("Bearer " + valid, METHOD_ARN), null))
                .hasMessage(AuthorizerHandler.UNAVAILABLE);

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("\"reason\":\"EXPIRED\"", "\"reason\":\"WRONG_CLIENT\"", "\"reason\":\"USER_DISABLED\"",
                "\"reason\":\"USER_STORE_ERROR\"", "\"reason\":\"USER_STORE_UNAVAILABLE\"");
        for (String t : List.of(expired, foreign, valid)) {
            for (String segment : t.split("\\.")) {
                assertThat(log).doesNotContain(segment);
            }
        }
    }

    // ------------------------------------------------------------------ the event sam local invoke uses

    @ParameterizedTest
    @Event(value = "events/authorizer.json", type = APIGatewayCustomAuthorizerEvent.class)
    void eventFile_isATokenEvent_andAuthorizesAFreshToken(APIGatewayCustomAuthorizerEvent event) {
        assertThat(event.getType()).isEqualTo("TOKEN");
        assertThat(event.getAuthorizationToken()).startsWith("Bearer ey");
        assertUnauthorized(event); // its example token is not signed by this test's pool

        event.setAuthorizationToken("Bearer " + token(claims()));
        IamPolicyResponseV1 policy = handler.authorize(event, null);

        assertThat(resources(policy)).contains(PREFIX + "GET/me");
        assertThat(allows(resources(policy), event.getMethodArn())).isTrue();
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    @Test
    void snapStartHook_loadsKeysAndWarmsTheUserStoreBeforeTheCheckpoint_andNeverThrows() throws Exception {
        List<String> asked = new java.util.ArrayList<>();
        try (JwksServer fresh = JwksServer.withKeys(POOL_KID, TestKeys.POOL)) {
            var cold = CognitoAccessTokenVerifier.builder(fresh.issuer(), List.of(CLIENT_ID)).jwksUrl(fresh.jwksUrl()).build();
            var hooked = new AuthorizerHandler(cold, sub -> {
                asked.add(sub);
                throw new IllegalStateException("no network while snapshotting");
            }, List.of("user", "admin"));
            int before = fresh.requests();
            hooked.beforeCheckpoint(null);
            assertThat(fresh.requests()).isEqualTo(before + 1);
            assertThat(asked).containsExactly("snapstart-priming");
        }
    }

    /** The Lambda entry point: the TOKEN event's JSON in, the policy's JSON out, as the runtime would write it. */
    @Test
    void streamEntryPoint_writesThePolicyTheRuntimeWouldSerialise() throws Exception {
        String token = token(claims());
        String event = "{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer " + token + "\",\"methodArn\":\"" + METHOD_ARN
                + "\",\"extra\":{\"nested\":[1,2,{\"a\":null}]}}";
        var out = new java.io.ByteArrayOutputStream();

        handler.handleRequest(new java.io.ByteArrayInputStream(event.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, null);

        JsonNode written = Tokens.JSON.readTree(out.toByteArray());
        // the runtime's serialisation leaves out null properties and null map values (NON_NULL for both)
        var expected = Tokens.JSON.copy().setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Value.construct(
                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL, com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
                .valueToTree(authorize(token));
        assertThat(written).isEqualTo(expected);
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("null").doesNotContain("Condition");
        assertThat(written.path("context").path("roles").isTextual()).isTrue();
        assertThat(resources(authorize(token))).isNotEmpty();
    }

    @Test
    void streamEntryPoint_refusesWhatIsNotATokenEvent() {
        for (String input : List.of("", "[]", "\"TOKEN\"", "{\"type\":\"TOKEN\",\"authorizationToken\":1,\"methodArn\":\"" + METHOD_ARN + "\"}",
                "{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer " + token(claims()) + "\"", "{\"type\":\"TOKEN\"",
                "{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer " + token(claims()) + "\",\"methodArn\":\"" + METHOD_ARN + "\"",
                // a nested value is skipped whole: its members are never read as the event's fields
                "{\"type\":\"TOKEN\",\"methodArn\":{\"authorizationToken\":\"Bearer " + token(claims()) + "\",\"methodArn\":\"" + METHOD_ARN + "\"}}")) {
            var out = new java.io.ByteArrayOutputStream();
            assertThatThrownBy(() -> handler.handleRequest(new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, null))
                    .as(input).isExactlyInstanceOf(RuntimeException.class).hasMessage("Unauthorized");
            assertThat(out.size()).isZero();
        }
    }
}
