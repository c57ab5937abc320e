package dev.userapi.local.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.mockito.Answers;
import org.mockito.Mockito;
import org.mockito.invocation.InvocationOnMock;
import org.mockito.stubbing.Answer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminCreateUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminListGroupsForUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AssociateSoftwareTokenResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminRespondToAuthChallengeResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DescribeUserPoolClientResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SignUpResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.VerifySoftwareTokenResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.VerifySoftwareTokenResponseType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Cognito and DynamoDB clients whose every call is answered as the fuzzer decides: a success with a
 * realistic response (an item or none, tokens or a challenge, ...), or one of the errors the service
 * really sends for the calls this API makes (throttling, conditional-check failures, cancelled
 * transactions, Lambda trigger errors, timeouts, 5xx, ...). When the fuzzer's bytes run out, every
 * call succeeds, so short inputs reach the happy paths.
 */
final class FuzzedAws {
    static final String SUB = "3b1f8c9e-2d4a-4f7b-9c1e-5a6b7c8d9e0f";
    static final String OTHER = "9d8c7b6a-1e2f-4a3b-8c9d-0e1f2a3b4c5d";
    /** The hosted sign-in's binding cookie the fuzzed browser may send. */
    static final String BINDING = "fuzz-binding-cookie";

    /** Cognito errors the API reference lists for the operations this API calls (configuration errors left out). */
    private static final List<String> COGNITO_ERRORS = List.of("NotAuthorizedException", "UserNotFoundException",
            "UsernameExistsException", "InvalidPasswordException", "CodeMismatchException", "ExpiredCodeException",
            "LimitExceededException", "TooManyRequestsException", "TooManyFailedAttemptsException", "InvalidParameterException",
            "UserNotConfirmedException", "PasswordResetRequiredException", "InternalErrorException", "CodeDeliveryFailureException",
            "UserLambdaValidationException", "UnexpectedLambdaException", "InvalidLambdaResponseException", "AliasExistsException",
            "SoftwareTokenMfaNotFoundException", "EnableSoftwareTokenMfaException", "PasswordHistoryPolicyViolationException",
            "UnsupportedTokenTypeException", "UnauthorizedException", "ConcurrentModificationException");
    private static final List<String> DYNAMODB_ERRORS = List.of("ProvisionedThroughputExceededException",
            "RequestLimitExceededException", "InternalServerErrorException", "ResourceNotFoundException");

    private static FuzzedDataProvider data;
    /** Retried conflicts make the repositories back off (sleep); one per execution keeps fuzzing fast. */
    private static boolean conflictUsed;

    private FuzzedAws() {
    }

    /** The bytes that decide this execution's answers. */
    static void use(FuzzedDataProvider input) {
        data = input;
        conflictUsed = false;
    }

    static CognitoIdentityProviderClient cognito() {
        return Mockito.mock(CognitoIdentityProviderClient.class, Mockito.withSettings().defaultAnswer(new Sdk(FuzzedAws::cognitoCall)));
    }

    static DynamoDbClient dynamoDb() {
        return Mockito.mock(DynamoDbClient.class, Mockito.withSettings().defaultAnswer(new Sdk(FuzzedAws::dynamoDbCall)));
    }

    private interface Call {
        Object answer(String operation, Object request, Class<?> responseType) throws Throwable;
    }

    /** Lets the consumer-builder overloads build their request and call the request overload, which {@link Call} answers. */
    private record Sdk(Call call) implements Answer<Object> {
        @Override
        public Object answer(InvocationOnMock invocation) throws Throwable {
            Method method = invocation.getMethod();
            Object[] args = invocation.getArguments();
            if (method.isDefault() && args.length == 1 && args[0] instanceof Consumer<?>) {
                return invocation.callRealMethod();
            }
            if (!SdkResponse.class.isAssignableFrom(method.getReturnType())) {
                return Answers.RETURNS_DEFAULTS.answer(invocation);
            }
            return call.answer(method.getName(), args.length == 1 ? args[0] : null, method.getReturnType());
        }
    }

    private static boolean fails() {
        return data != null && data.remainingBytes() > 0 && data.consumeInt(0, 9) >= 7;
    }

    private static String text(int max, String... plausible) {
        if (data == null || data.remainingBytes() == 0) {
            return plausible[0];
        }
        return data.consumeBoolean() ? data.pickValue(plausible) : data.consumeString(max);
    }

    private static boolean flag() {
        return data != null && data.remainingBytes() > 0 && data.consumeBoolean();
    }

    // ------------------------------------------------------------------------------------------ Cognito

    private static Object cognitoCall(String operation, Object request, Class<?> responseType) {
        if (fails()) {
            if (data.consumeInt(0, 9) == 0) {
                throw data.consumeBoolean() ? SdkClientException.create("Unable to execute HTTP request: Connection refused")
                        : ApiCallTimeoutException.create(6000);
            }
            if (data.consumeInt(0, 9) == 0) {
                throw (AwsServiceException) CognitoIdentityProviderException.builder().statusCode(data.pickValue(new Integer[] {500, 502, 503}))
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailable").errorMessage("unavailable").build())
                        .message("unavailable").build();
            }
            throw awsError("software.amazon.awssdk.services.cognitoidentityprovider.model.", data.pickValue(COGNITO_ERRORS), 400);
        }
        return switch (operation) {
            case "signUp" -> SignUpResponse.builder().userSub(UUID.randomUUID().toString()).userConfirmed(false).build();
            case "adminInitiateAuth" -> flag()
                    ? AdminInitiateAuthResponse.builder().challengeName(challenge()).session(text(64, "AYABeHNlc3Npb24")).build()
                    : AdminInitiateAuthResponse.builder().authenticationResult(tokens()).build();
            case "adminRespondToAuthChallenge" -> flag()
                    ? AdminRespondToAuthChallengeResponse.builder().challengeName(challenge()).session("AYABeHNlc3Npb24").build()
                    : AdminRespondToAuthChallengeResponse.builder().authenticationResult(tokens()).build();
            case "describeUserPoolClient" -> DescribeUserPoolClientResponse.builder()
                    .userPoolClient(c -> c.clientId("client").clientSecret(flag() ? null : text(64, "secret"))).build();
            case "getUser" -> GetUserResponse.builder().username(user()).userAttributes(attributes())
                    .userMFASettingList(flag() ? List.of("SOFTWARE_TOKEN_MFA") : List.of()).build();
            case "adminGetUser" -> AdminGetUserResponse.builder().username(user()).userAttributes(attributes()).enabled(!flag())
                    .userStatus(text(24, "CONFIRMED", "UNCONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED")).build();
            case "adminCreateUser" -> AdminCreateUserResponse.builder().user(UserType.builder().username(user()).attributes(attributes())
                    .enabled(true).userStatus("FORCE_CHANGE_PASSWORD").build()).build();
            case "associateSoftwareToken" -> AssociateSoftwareTokenResponse.builder().secretCode(text(64, "JBSWY3DPEHPK3PXP")).build();
            case "verifySoftwareToken" -> VerifySoftwareTokenResponse.builder()
                    .status(flag() ? VerifySoftwareTokenResponseType.ERROR : VerifySoftwareTokenResponseType.SUCCESS).build();
            case "adminListGroupsForUser" -> AdminListGroupsForUserResponse.builder()
                    .groups(roles().stream().map(g -> GroupType.builder().groupName(g).build()).toList()).build();
            default -> empty(responseType);
        };
    }

    private static ChallengeNameType challenge() {
        return data.pickValue(new ChallengeNameType[] {ChallengeNameType.SOFTWARE_TOKEN_MFA, ChallengeNameType.NEW_PASSWORD_REQUIRED,
                ChallengeNameType.MFA_SETUP});
    }

    private static String user() {
        return text(40, SUB, OTHER);
    }

    private static List<AttributeType> attributes() {
        List<AttributeType> list = new ArrayList<>();
        if (!flag()) {
            list.add(AttributeType.builder().name("sub").value(text(40, SUB, OTHER)).build());
        }
        if (!flag()) {
            list.add(AttributeType.builder().name("email").value(text(80, "ada@example.com", "Ada@Example.COM ", "not-an-email")).build());
        }
        if (flag()) {
            list.add(AttributeType.builder().name("name").value(text(80, "Ada")).build());
        }
        return list;
    }

    /** Tokens as Cognito issues them: the access token's payload carries sub and iat (the API reads them). */
    private static AuthenticationResultType tokens() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String payload = "{\"sub\":\"" + (flag() ? OTHER : SUB) + "\",\"username\":\"" + SUB + "\",\"iat\":"
                + Instant.now().getEpochSecond() + ",\"token_use\":\"access\"}";
        String access = b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + b64.encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + ".c2lnbmF0dXJl";
        return AuthenticationResultType.builder().accessToken(access).idToken("id.token.value")
                .refreshToken(flag() ? null : "refresh-token-value").expiresIn(3600).tokenType("Bearer").build();
    }

    // ------------------------------------------------------------------------------------------ DynamoDB

    private static Object dynamoDbCall(String operation, Object request, Class<?> responseType) {
        if (fails()) {
            int kind = data.consumeInt(0, 9);
            if (kind == 0) {
                throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
            }
            if (kind == 1 && hasCondition(request)) {
                throw awsError("software.amazon.awssdk.services.dynamodb.model.", "ConditionalCheckFailedException", 400);
            }
            if (kind == 2 && operation.equals("transactWriteItems")) {
                TransactionCanceledException cancelled = cancelled((TransactWriteItemsRequest) request);
                if (cancelled != null) {
                    throw cancelled;
                }
            }
            if (kind == 3 && (operation.equals("updateItem") || operation.equals("putItem") || operation.equals("deleteItem"))) {
                throw (AwsServiceException) DynamoDbException.builder().statusCode(400).message("ongoing transaction")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionConflictException").build()).build();
            }
            if (kind == 4) {
                throw (AwsServiceException) DynamoDbException.builder().statusCode(data.pickValue(new Integer[] {500, 503}))
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailable").build()).message("unavailable").build();
            }
            if (kind == 5) {
                throw (AwsServiceException) DynamoDbException.builder().statusCode(400).message("Rate exceeded")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
            }
            throw awsError("software.amazon.awssdk.services.dynamodb.model.", data.pickValue(DYNAMODB_ERRORS),
                    data.consumeBoolean() ? 400 : 500);
        }
        return switch (operation) {
            case "getItem" -> flag() ? GetItemResponse.builder().build()
                    : GetItemResponse.builder().item(item(request instanceof GetItemRequest r ? r.key() : null)).build();
            case "updateItem" -> UpdateItemResponse.builder().attributes(item(request instanceof UpdateItemRequest r ? r.key() : null)).build();
            case "deleteItem" -> flag() ? DeleteItemResponse.builder().attributes(item(null)).build() : DeleteItemResponse.builder().build();
            case "query" -> {
                List<Map<String, AttributeValue>> items = new ArrayList<>();
                for (int i = data == null || data.remainingBytes() == 0 ? 1 : data.consumeInt(0, 2); i > 0; i--) {
                    items.add(item(queried(request)));
                }
                QueryResponse.Builder b = QueryResponse.builder().items(items).count(items.size());
                if (flag()) {
                    b.lastEvaluatedKey(Map.of("pk", s("USER#" + SUB), "sk", s("PROFILE"), "gsi1pk", s("USERS"),
                            "gsi1sk", s("ada@example.com#" + SUB)));
                }
                yield b.build();
            }
            case "batchGetItem" -> BatchGetItemResponse.builder().responses(Map.of("users", batchItems(request))).build();
            default -> empty(responseType);
        };
    }

    /**
     * A cancelled transaction as DynamoDB reports it: the condition of one item that has a condition
     * failed, or another transaction was in the way (at most once per execution); null when neither
     * can happen (no item has a condition and the conflict was used).
     */
    private static TransactionCanceledException cancelled(TransactWriteItemsRequest request) {
        List<TransactWriteItem> items = request == null || !request.hasTransactItems() ? List.of() : request.transactItems();
        List<Integer> conditional = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (hasCondition(items.get(i))) {
                conditional.add(i);
            }
        }
        boolean conflict = !conflictUsed && (conditional.isEmpty() || data.consumeBoolean());
        if (!conflict && conditional.isEmpty()) {
            return null;
        }
        conflictUsed |= conflict;
        int failing = conflict ? data.consumeInt(0, Math.max(0, items.size() - 1)) : conditional.get(data.consumeInt(0, conditional.size() - 1));
        List<CancellationReason> reasons = new ArrayList<>();
        for (int i = 0; i < Math.max(1, items.size()); i++) {
            reasons.add(CancellationReason.builder().code(i != failing ? "None" : conflict ? "TransactionConflict" : "ConditionalCheckFailed")
                    .build());
        }
        return (TransactionCanceledException) TransactionCanceledException.builder().cancellationReasons(reasons).statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build())
                .message("Transaction cancelled").build();
    }

    /** Whether a single-item write carries a condition (only those can fail one). */
    private static boolean hasCondition(Object request) {
        if (request instanceof UpdateItemRequest r) {
            return r.conditionExpression() != null;
        }
        if (request instanceof PutItemRequest r) {
            return r.conditionExpression() != null;
        }
        return request instanceof DeleteItemRequest r && r.conditionExpression() != null;
    }

    private static boolean hasCondition(TransactWriteItem item) {
        return item.put() != null && item.put().conditionExpression() != null
                || item.update() != null && item.update().conditionExpression() != null
                || item.delete() != null && item.delete().conditionExpression() != null
                || item.conditionCheck() != null;
    }

    /** For each key a batch asks for, its item (or none: not found). */
    private static List<Map<String, AttributeValue>> batchItems(Object request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        if (request instanceof BatchGetItemRequest r && r.hasRequestItems()) {
            for (var keys : r.requestItems().values()) {
                for (Map<String, AttributeValue> key : keys.keys()) {
                    if (!flag()) {
                        items.add(item(key));
                    }
                }
            }
        }
        return items.isEmpty() && !flag() ? List.of(item(null)) : items;
    }

    /** The key a query's partition stands for (its {@code :pk} or {@code :user} value), so that its items carry it. */
    private static Map<String, AttributeValue> queried(Object request) {
        if (request instanceof QueryRequest r && r.hasExpressionAttributeValues()) {
            AttributeValue pk = r.expressionAttributeValues().get(":pk");
            if (pk != null && pk.s() != null && r.indexName() == null) {
                return Map.of("pk", pk, "sk", s(pk.s().startsWith("ORG#") ? "MEMBER#" + text(40, SUB, OTHER)
                        : pk.s().startsWith("USER#") ? "MEMBER_OF#" + text(40, "org-1") : "ATTEMPT#2026-11-22T09:00:00Z#d#01"));
            }
        }
        return null;
    }

    /**
     * One item with every attribute any reader of the table looks for (profile, role, session, audit, counter,
     * organization, membership, invitation and its token pointer, pending e-mail change, activity, attempt counter,
     * webhook, delivery and attempt), under the key asked for when there is one, with fuzzed status, roles, version
     * and revocation; and, now and then, one attribute missing, of another type or not parsing ({@link #malformed}),
     * as an item that lacks what every write puts.
     */
    private static Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", s("USER#" + SUB));
        item.put("sk", s("PROFILE"));
        if (key != null && key.get("pk") != null && key.get("sk") != null) {
            item.put("pk", key.get("pk"));
            item.put("sk", key.get("sk"));
        }
        item.put("gsi1pk", s("USERS"));
        item.put("gsi1sk", s("ada@example.com#" + SUB));
        item.put("id", s(text(40, SUB, OTHER)));
        item.put("email", s(text(80, "ada@example.com")));
        item.put("name", s("Ada"));
        item.put("roles", AttributeValue.fromL(roles().stream().map(FuzzedAws::s).toList()));
        item.put("role", s(data == null || data.remainingBytes() == 0 ? "user" : data.pickValue(new String[] {"user", "owner", "admin", "member"})));
        item.put("status", s(data == null || data.remainingBytes() == 0 ? "ENABLED"
                : data.pickValue(new String[] {"ENABLED", "ENABLED", "DISABLED", "DELETED", "PENDING"})));
        item.put("mfaEnabled", AttributeValue.fromBool(flag()));
        item.put("createdAt", s("2026-11-22T09:00:00Z"));
        item.put("updatedAt", s("2026-11-22T09:00:00Z"));
        item.put("version", n(data == null || data.remainingBytes() == 0 ? 1 : data.consumeInt(1, 5)));
        if (flag()) {
            item.put("revokedBefore", n(System.currentTimeMillis() + (flag() ? -60_000 : 60_000)));
            item.put("sessionsRevokedBefore", item.get("revokedBefore"));
        }
        item.put("userId", s(SUB));
        item.put("lastUsedAt", s("2026-11-22T09:00:00Z"));
        item.put("sourceIp", s("203.0.113.7"));
        item.put("userAgent", s("JUnit"));
        item.put("at", s("2026-11-22T09:00:00Z"));
        item.put("actor", s(OTHER));
        item.put("action", s("user.update"));
        item.put("target", s(SUB));
        item.put("details", AttributeValue.fromM(Map.of("fields", AttributeValue.fromL(List.of(s("name"))))));
        item.put("count", n(data == null || data.remainingBytes() == 0 ? 2 : data.consumeInt(0, 3)));
        // a hosted sign-in in progress (OAuthStateRepository), bound to the browser holding BINDING
        item.put("nonce", s("nonce"));
        item.put("codeVerifier", s("verifier"));
        item.put("redirect", s(text(80, "https://app.example.com/signed-in", "https://evil.example/")));
        item.put("bindingHash", s(sha256(flag() ? "another-browser" : BINDING)));
        item.put("expiresAt", n(Instant.now().getEpochSecond() + (flag() ? -60 : 600)));
        // organizations (OrgItems): the organization, a membership and its mirror, an invitation and its token pointer
        item.put("memberCount", n(data == null || data.remainingBytes() == 0 ? 1 : data.consumeInt(0, 3)));
        item.put("owners", n(data == null || data.remainingBytes() == 0 ? 1 : data.consumeInt(0, 2)));
        item.put("orgId", s(text(40, "org-1")));
        item.put("joinedAt", s("2026-11-22T09:00:00Z"));
        item.put("validUntil", n(System.currentTimeMillis() + (flag() ? -60_000 : 600_000)));
        item.put("invitedBy", s(OTHER));
        item.put("tokenHash", s("hash"));
        item.put("invitationId", s("inv-1"));
        // a pending e-mail change (EmailChangeRepository)
        item.put("newEmail", s(text(80, "new@example.com")));
        item.put("salt", s("c2FsdA"));
        item.put("codeHash", s("hash"));
        // security activity (ActivityRepository) and attempt counters (AttemptRepository)
        item.put("event", s(data == null || data.remainingBytes() == 0 ? "SIGN_IN" : text(20, "SIGN_IN", "PASSWORD_CHANGED")));
        item.put("failures", n(data == null || data.remainingBytes() == 0 ? 0 : data.consumeInt(0, 20)));
        item.put("lastFailureAt", n(System.currentTimeMillis()));
        // webhooks (WebhookRepository): the webhook, a delivery and an attempt
        item.put("url", s("https://hooks.example.com/in"));
        item.put("events", AttributeValue.fromL(List.of(s("user.created"))));
        item.put("secretCiphertext", s("sealed:secret"));
        item.put("deliveryId", s("d-1"));
        item.put("eventId", s("e-1"));
        item.put("type", s("user.created"));
        item.put("body", s("{}"));
        item.put("attempts", n(data == null || data.remainingBytes() == 0 ? 0 : data.consumeInt(0, 6)));
        item.put("attempt", n(1));
        item.put("responseStatus", n(200));
        if (data != null && data.remainingBytes() > 0) {
            malformed(item);
        }
        return item;
    }

    /** Now and then one attribute (never the key) removed, of another type, or a value that does not parse. */
    private static void malformed(Map<String, AttributeValue> item) {
        int kind = data.consumeInt(0, 9);
        if (kind < 7) {
            return;
        }
        List<String> names = item.keySet().stream().filter(name -> !name.equals("pk") && !name.equals("sk")).toList();
        String name = names.get(data.consumeInt(0, names.size() - 1));
        switch (kind) {
            case 7 -> item.remove(name);
            case 8 -> item.put(name, item.get(name).s() != null ? AttributeValue.fromN("1") : s("1"));
            default -> item.put(name, item.get(name).n() != null
                    ? AttributeValue.fromN(data.pickValue(new String[] {"1.5", "1e400", "99999999999999999999", "x"}))
                    : s(data.pickValue(new String[] {"", "not-an-instant", "OWNER", "SUPERUSER", "ENABLED?"})));
        }
    }

    private static List<String> roles() {
        if (data == null || data.remainingBytes() == 0) {
            return List.of("user");
        }
        return data.pickValue(List.of(List.of("user"), List.of("admin", "user"), List.of(), List.of("admin"), List.of("user", "auditor")));
    }

    // ------------------------------------------------------------------------------------------ hosted sign-in

    /** The user pool's token endpoint, as the hosted sign-in's HTTP client sees it: tokens, a refusal, junk, or down. */
    @SuppressWarnings("unchecked")
    static java.net.http.HttpClient http() {
        java.net.http.HttpClient client = Mockito.mock(java.net.http.HttpClient.class);
        try {
            Mockito.when(client.send(Mockito.any(), Mockito.any())).thenAnswer(invocation -> {
                if (fails()) {
                    throw new java.io.IOException("connection refused");
                }
                java.net.http.HttpResponse<String> response = Mockito.mock(java.net.http.HttpResponse.class);
                int status = flag() ? data.pickValue(new Integer[] {400, 401, 500, 503}) : 200;
                String body = switch (data == null || data.remainingBytes() == 0 ? 0 : data.consumeInt(0, 3)) {
                    case 0 -> "{\"id_token\":\"id.token.value\",\"access_token\":\"" + tokens().accessToken()
                            + "\",\"refresh_token\":\"refresh\",\"expires_in\":3600,\"token_type\":\"Bearer\"}";
                    case 1 -> "{\"error\":\"invalid_grant\"}";
                    case 2 -> "{}";
                    default -> data.consumeString(200);
                };
                Mockito.when(response.statusCode()).thenReturn(status);
                Mockito.when(response.body()).thenReturn(body);
                return response;
            });
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return client;
    }

    /** The ID-token check of the hosted sign-in: the claims, or a refusal (UnauthorizedException). */
    static dev.userapi.identity.IdTokenVerifier idTokens() {
        return (token, nonce) -> {
            if (fails()) {
                throw new dev.userapi.core.problem.UnauthorizedException("The sign-in's identity token could not be verified; start again.");
            }
            return new dev.userapi.identity.IdTokenVerifier.IdTokenClaims(text(40, SUB, OTHER),
                    flag() ? null : text(80, "ada@example.com", "not-an-email", "ADA@EXAMPLE.COM"), !flag(), flag() ? null : "Ada");
        };
    }

    private static String sha256(String value) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** A service error of the named class, as the SDK builds it from the service's answer. */
    private static AwsServiceException awsError(String packagePrefix, String simpleName, int status) {
        try {
            Class<?> type = Class.forName(packagePrefix + simpleName);
            AwsServiceException.Builder builder = (AwsServiceException.Builder) type.getMethod("builder").invoke(null);
            return (AwsServiceException) builder.statusCode(status).message(simpleName + " from the fuzzer")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(simpleName).errorMessage("from the fuzzer").build())
                    .build();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no SDK exception " + simpleName, e);
        }
    }

    /** A response without any field: what the operations this API only needs to succeed return. */
    private static Object empty(Class<?> responseType) {
        try {
            var builder = (software.amazon.awssdk.utils.builder.SdkBuilder<?, ?>) responseType.getMethod("builder").invoke(null);
            return builder.build();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build an empty " + responseType.getSimpleName(), e);
        }
    }
}
