package dev.userapi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of {@link SecurityRules} reports a copy of the real template weakened the way the rule forbids, so
 * that none of {@link TemplateSecurityTest} passes by checking nothing.
 */
class SecurityRulesCanFailTest {
    private static final CfnTemplate TEMPLATE = CfnTemplate.load();

    static Stream<Arguments> weakenings() {
        List<Arguments> cases = new ArrayList<>();
        add(cases, "preventUserExistenceErrors", "LEGACY existence errors",
                t -> client(t).put("PreventUserExistenceErrors", "LEGACY"));
        add(cases, "tokenRevocation", "revocation off", t -> client(t).put("EnableTokenRevocation", false));
        add(cases, "tokenValidity", "parameter allows a day",
                t -> t.parameter(Y.ref(client(t).get("AccessTokenValidity"))).put("MaxValue", 1440));
        add(cases, "tokenValidity", "parameter without MaxValue",
                t -> t.parameter(Y.ref(client(t).get("IdTokenValidity"))).remove("MaxValue"));
        add(cases, "tokenValidity", "literal 2 hours", t -> {
            client(t).put("AccessTokenValidity", 2);
            Y.map(client(t).get("TokenValidityUnits")).put("AccessToken", "hours");
        });
        add(cases, "tokenValidity", "no units means hours", t -> {
            client(t).put("IdTokenValidity", 5);
            client(t).remove("TokenValidityUnits");
        });
        add(cases, "passwordPolicy", "8 characters", t -> passwordPolicy(t).put("MinimumLength", 8));
        add(cases, "passwordPolicy", "no symbols", t -> passwordPolicy(t).put("RequireSymbols", false));
        add(cases, "passwordPolicy", "temporary password for 30 days", t -> passwordPolicy(t).put("TemporaryPasswordValidityDays", 30));
        add(cases, "emailUsernamesCaseInsensitive", "case-sensitive usernames",
                t -> Y.map(pool(t).get("UsernameConfiguration")).put("CaseSensitive", true));
        add(cases, "emailUsernamesCaseInsensitive", "usernames not e-mails", t -> pool(t).remove("UsernameAttributes"));
        add(cases, "optionalTotpMfa", "MFA off", t -> pool(t).put("MfaConfiguration", "OFF"));
        add(cases, "optionalTotpMfa", "SMS MFA", t -> pool(t).put("EnabledMfas", List.of("SMS_MFA", "SOFTWARE_TOKEN_MFA")));
        add(cases, "deletionProtectionParameterised", "pool always unprotected", t -> pool(t).put("DeletionProtection", "INACTIVE"));
        add(cases, "deletionProtectionParameterised", "table always unprotected",
                t -> t.properties(id(t, SecurityRules.TABLE)).put("DeletionProtectionEnabled", false));
        add(cases, "clientCannotWriteRoleLikeAttributes", "client writes custom:roles",
                t -> client(t).put("WriteAttributes", List.of("email", "name", "custom:roles")));
        add(cases, "clientCannotWriteRoleLikeAttributes", "no WriteAttributes (all writable)", t -> client(t).remove("WriteAttributes"));
        add(cases, "noWildcardResource", "Resource '*'", t -> firstStatement(t).put("Resource", "*"));
        add(cases, "noWildcardResource", "every index", t -> firstStatement(t).put("Resource", Map.of("Fn::Sub", "${UsersTable.Arn}/index/*")));
        add(cases, "iamStatementsScopedToTableIndexOrPool", "another table's ARN",
                t -> firstStatement(t).put("Resource", "arn:aws:dynamodb:us-east-1:123456789012:table/other"));
        add(cases, "iamStatementsScopedToTableIndexOrPool", "dynamodb:*", t -> firstStatement(t).put("Action", List.of("dynamodb:*")));
        add(cases, "iamStatementsScopedToTableIndexOrPool", "Cognito action on the table",
                t -> firstStatement(t).put("Action", List.of("cognito-idp:AdminDeleteUser")));
        add(cases, "iamStatementsScopedToTableIndexOrPool", "an AWS managed policy",
                t -> Y.list(t.properties(anyFunctionWithPolicies(t)).get("Policies")).add("AmazonDynamoDBFullAccess"));
        add(cases, "iamStatementsScopedToTableIndexOrPool", "ses:SendEmail from any identity",
                t -> sendMailStatement(t).put("Resource", "*"));
        add(cases, "iamStatementsScopedToTableIndexOrPool", "an SES action on the table",
                t -> sendMailStatement(t).put("Resource", Map.of("Fn::GetAtt", List.of("UsersTable", "Arn"))));
        add(cases, "iamStatementsScopedToTableIndexOrPool", "a function naming an AWS managed policy under Fn::If",
                t -> Y.list(t.properties(anyFunctionWithPolicies(t)).get("Policies"))
                        .add(Map.of("Fn::If", List.of("ApiSendsMail", "AmazonSESFullAccess", Map.of("Ref", "AWS::NoValue")))));
        add(cases, "cognitoInvokePermissionsScopedToThePool", "no SourceArn",
                t -> t.properties(id(t, "AWS::Lambda::Permission")).remove("SourceArn"));
        add(cases, "routesBehindTheAuthorizer", "a /me route made public",
                t -> Y.map(Y.get(apiEvent(t, "GET", "/me"), "Properties")).put("Auth", new java.util.LinkedHashMap<>(Map.of("Authorizer", "NONE"))));
        add(cases, "routesBehindTheAuthorizer", "an /auth route behind the authorizer",
                t -> Y.map(Y.get(apiEvent(t, "POST", "/auth/login"), "Properties")).remove("Auth"));
        add(cases, "routesBehindTheAuthorizer", "a route on SAM's implicit API",
                t -> Y.map(Y.get(apiEvent(t, "DELETE", "/users/{id}"), "Properties")).remove("RestApiId"));
        add(cases, "routesBehindTheAuthorizer", "no default authorizer",
                t -> Y.map(Y.get(t.properties(id(t, CfnTemplate.API)), "Auth")).remove("DefaultAuthorizer"));
        add(cases, "routesBehindTheAuthorizer", "a function URL",
                t -> t.properties("GetMeFunction").put("FunctionUrlConfig", Map.of("AuthType", "NONE")));
        add(cases, "throttling", "no stage-wide limit", t -> methodSettings(t).removeIf(s -> "/*".equals(Y.get(s, "ResourcePath"))));
        add(cases, "throttling", "login without its own limit",
                t -> methodSettings(t).removeIf(s -> "/~1auth~1login".equals(Y.get(s, "ResourcePath"))));
        add(cases, "logRetention", "a log group kept forever",
                t -> t.properties(id(t, SecurityRules.LOG_GROUP)).remove("RetentionInDays"));
        add(cases, "logRetention", "a function logging to its default group",
                t -> t.properties("HealthFunction").put("LoggingConfig", Map.of("LogGroup", "/aws/lambda/health")));
        add(cases, "logRetention", "no API access logs", t -> t.properties(id(t, CfnTemplate.API)).remove("AccessLogSetting"));
        add(cases, "gatewayResponsesCarryCorsAndProblems", "401 without CORS", t -> Y.map(Y.get(t.properties(id(t, CfnTemplate.API)),
                "GatewayResponses", "UNAUTHORIZED", "ResponseParameters", "Headers")).remove("Access-Control-Allow-Origin"));
        add(cases, "gatewayResponsesCarryCorsAndProblems", "429 without Retry-After", t -> Y.map(Y.get(t.properties(id(t, CfnTemplate.API)),
                "GatewayResponses", "THROTTLED", "ResponseParameters", "Headers")).remove("Retry-After"));
        add(cases, "gatewayResponsesNeverReflectTheOrigin", "401 reflects the Origin", t -> gatewayHeaders(t, "UNAUTHORIZED")
                .put("Access-Control-Allow-Origin", "method.request.header.Origin"));
        add(cases, "gatewayResponsesNeverReflectTheOrigin", "404 always the first origin", t -> gatewayHeaders(t, "MISSING_AUTHENTICATION_TOKEN")
                .put("Access-Control-Allow-Origin", Map.of("Fn::Sub", List.of("'${O}'", Map.of("O", Map.of("Fn::Select",
                        List.of(0, Map.of("Ref", "AllowedOrigins"))))))));
        add(cases, "gatewayResponsesNeverReflectTheOrigin", "'*' even for one origin", t -> gatewayHeaders(t, "DEFAULT_4XX")
                .put("Access-Control-Allow-Origin", "'*'"));
        add(cases, "gatewayResponsesNeverReflectTheOrigin", "403 cacheable", t -> gatewayHeaders(t, "ACCESS_DENIED").remove("Cache-Control"));
        add(cases, "gatewayResponsesNeverReflectTheOrigin", "5xx sniffable", t -> gatewayHeaders(t, "DEFAULT_5XX").remove("X-Content-Type-Options"));
        add(cases, "gatewayResponsesNeverReflectTheOrigin", "no own 413", t -> Y.map(Y.get(t.properties(id(t, CfnTemplate.API)),
                "GatewayResponses")).remove("REQUEST_TOO_LARGE"));
        add(cases, "authorizerValidationExpressionFollowsRfc6750", "scheme case-sensitive", t -> authorizerIdentity(t)
                .put("ValidationExpression", "^[Bb]earer [-0-9A-Za-z._~+/]+=*$"));
        add(cases, "authorizerValidationExpressionFollowsRfc6750", "anything goes", t -> authorizerIdentity(t).put("ValidationExpression", ".*"));
        add(cases, "authorizerValidationExpressionFollowsRfc6750", "no expression", t -> authorizerIdentity(t).remove("ValidationExpression"));
        add(cases, "oneStageOnly", "no OpenApiVersion", t -> Y.map(Y.get(t.root(), "Globals", "Api")).remove("OpenApiVersion"));
        add(cases, "oneStageOnly", "an API Gateway permission for every stage", t -> Y.map(t.root().get("Resources")).put("ExtraPermission",
                Map.of("Type", "AWS::Lambda::Permission", "Properties", Map.of("Action", "lambda:InvokeFunction", "FunctionName",
                        Map.of("Ref", "HealthFunction.Alias"), "Principal", "apigateway.amazonaws.com",
                        "SourceArn", Map.of("Fn::Sub", "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/GET/health")))));
        add(cases, "apiGatewayAccountSetBeforeTheStage", "no account setting",
                t -> Y.map(t.root().get("Resources")).remove(id(t, "AWS::ApiGateway::Account")));
        add(cases, "apiGatewayAccountSetBeforeTheStage", "the API does not wait for it", t -> t.resource(id(t, CfnTemplate.API)).remove("DependsOn"));
        add(cases, "apiGatewayAccountSetBeforeTheStage", "cannot be skipped",
                t -> t.resource(id(t, "AWS::ApiGateway::Account")).remove("Condition"));
        add(cases, "iamStatementsScopedToTableIndexOrPool", "the logging role with admin rights", t -> Y.list(
                t.properties("ApiGatewayCloudWatchRole").get("ManagedPolicyArns")).add("arn:aws:iam::aws:policy/AdministratorAccess"));
        add(cases, "wafOnTheStageAndTheHostedUi", "no per-IP limit on /auth/", t -> Y.list(t.properties(id(t, "AWS::WAFv2::WebACL")).get("Rules"))
                .removeIf(r -> "auth-per-ip".equals(Y.get(r, "Name"))));
        add(cases, "wafOnTheStageAndTheHostedUi", "the global limit only counts", t -> Y.list(t.properties(id(t, "AWS::WAFv2::WebACL")).get("Rules"))
                .stream().filter(r -> "all-per-ip".equals(Y.get(r, "Name"))).forEach(r -> Y.map(r).put("Action", Map.of("Count", Map.of()))));
        add(cases, "wafOnTheStageAndTheHostedUi", "a rate block answered as WAF_FILTERED's 403",
                t -> Y.list(t.properties(id(t, "AWS::WAFv2::WebACL")).get("Rules")).stream()
                        .filter(r -> "auth-per-ip".equals(Y.get(r, "Name"))).forEach(r -> Y.map(r).put("Action", Map.of("Block", Map.of()))));
        add(cases, "wafOnTheStageAndTheHostedUi", "not on the stage",
                t -> Y.map(t.root().get("Resources")).remove("WebAclApiAssociation"));
        add(cases, "wafOnTheStageAndTheHostedUi", "not on the hosted UI",
                t -> Y.map(t.root().get("Resources")).remove("WebAclUserPoolAssociation"));
        add(cases, "wafOnTheStageAndTheHostedUi", "off by default", t -> t.parameter("WafEnabled").put("Default", "false"));
        add(cases, "dataRetainedWhenProtected", "the table always deleted", t -> t.resource(id(t, SecurityRules.TABLE)).put("DeletionPolicy", "Delete"));
        add(cases, "dataRetainedWhenProtected", "the pool replaced without a trace",
                t -> t.resource(id(t, SecurityRules.POOL)).put("UpdateReplacePolicy", "Delete"));
        add(cases, "snapStartEverywhere", "SnapStart off", t -> t.globalsFunction().remove("SnapStart"));
        add(cases, "snapStartEverywhere", "the authorizer invoked without the alias", t -> Y.map(Y.get(t.properties(id(t, CfnTemplate.API)),
                "Auth", "Authorizers", "CognitoAccessToken")).put("FunctionArn", Map.of("Fn::GetAtt", List.of("AuthorizerFunction", "Arn"))));
        add(cases, "snapStartEverywhere", "a trigger permission on the unpublished function",
                t -> t.properties("PreTokenGenerationInvokePermission").put("FunctionName", Map.of("Ref", "PreTokenGenerationFunction")));
        add(cases, "accessLogFormat", "no principal", t -> Y.map(t.properties(id(t, CfnTemplate.API)).get("AccessLogSetting"))
                .put("Format", "{\"requestId\":\"$context.requestId\"}"));
        add(cases, "accessLogFormat", "not JSON", t -> Y.map(t.properties(id(t, CfnTemplate.API)).get("AccessLogSetting"))
                .put("Format", "$context.requestId $context.status"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} catches: {1}")
    @MethodSource("weakenings")
    void rule_reportsTheWeakenedTemplate(String rule, String weakening, Consumer<CfnTemplate> weaken) {
        assertThat(SecurityRules.all().get(rule).apply(TEMPLATE)).as("the real template passes " + rule).isEmpty();
        CfnTemplate weakened = TEMPLATE.copy();
        weaken.accept(weakened);
        assertThat(SecurityRules.all().get(rule).apply(weakened)).as(rule + " after: " + weakening).isNotEmpty();
    }

    @org.junit.jupiter.api.Test
    void everyRule_hasAtLeastOneWeakening() {
        assertThat(weakenings().map(a -> (String) a.get()[0]).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(SecurityRules.all().keySet());
    }

    // ------------------------------------------------------------------------------------------------------------

    private static void add(List<Arguments> cases, String rule, String weakening, Consumer<CfnTemplate> weaken) {
        cases.add(Arguments.of(rule, weakening, weaken));
    }

    private static String id(CfnTemplate t, String type) {
        return t.resourcesOfType(type).keySet().iterator().next();
    }

    private static Map<String, Object> pool(CfnTemplate t) {
        return t.properties(id(t, SecurityRules.POOL));
    }

    private static Map<String, Object> client(CfnTemplate t) {
        return t.properties(id(t, SecurityRules.CLIENT));
    }

    private static Map<String, Object> passwordPolicy(CfnTemplate t) {
        return Y.map(Y.get(pool(t), "Policies", "PasswordPolicy"));
    }

    private static String anyFunctionWithPolicies(CfnTemplate t) {
        return t.functions().entrySet().stream().filter(e -> Y.get(e.getValue(), "Properties", "Policies") != null)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    /** The first inline IAM statement of a function, as written in the template. */
    private static Map<String, Object> firstStatement(CfnTemplate t) {
        Object policy = Y.list(t.properties(anyFunctionWithPolicies(t)).get("Policies")).get(0);
        return Y.map(Y.list(Y.get(policy, "Statement")).get(0));
    }

    private static Map<String, Object> sendMailStatement(CfnTemplate t) {
        return Y.map(Y.list(Y.get(t.properties("SendMailPolicy"), "PolicyDocument", "Statement")).get(0));
    }

    private static Map<String, Object> apiEvent(CfnTemplate t, String method, String path) {
        CfnTemplate.Route route = t.routes().stream().filter(r -> r.key().equals(method + " " + path)).findFirst().orElseThrow();
        return Y.map(Y.get(t.properties(route.functionId()), "Events", route.eventId()));
    }

    private static Map<String, Object> gatewayHeaders(CfnTemplate t, String type) {
        return Y.map(Y.get(t.properties(id(t, CfnTemplate.API)), "GatewayResponses", type, "ResponseParameters", "Headers"));
    }

    private static Map<String, Object> authorizerIdentity(CfnTemplate t) {
        return Y.map(Y.get(t.properties(id(t, CfnTemplate.API)), "Auth", "Authorizers", "CognitoAccessToken", "Identity"));
    }

    private static List<Object> methodSettings(CfnTemplate t) {
        return Y.list(t.properties(id(t, CfnTemplate.API)).get("MethodSettings"));
    }
}
