package dev.userapi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml against docs/SECURITY.md section C (items 19 and 20) and the API's authorization, throttling and logging
 * rules. Each test names the checklist item; {@link SecurityRulesCanFailTest} shows each rule catching a weakened
 * template.
 */
class TemplateSecurityTest {
    private static CfnTemplate template;

    @BeforeAll
    static void load() {
        template = CfnTemplate.load();
    }

    @Test
    void c19_userPoolClient_preventsUserExistenceErrors() {
        assertThat(SecurityRules.preventUserExistenceErrors(template)).isEmpty();
    }

    @Test
    void c19_userPoolClient_enablesTokenRevocation() {
        assertThat(SecurityRules.tokenRevocation(template)).isEmpty();
    }

    @Test
    void c19_accessAndIdTokens_liveAtMost60Minutes_whateverTheParameterIsSetTo() {
        assertThat(SecurityRules.tokenValidity(template)).isEmpty();
    }

    @Test
    void c19_userPool_hasAStrongPasswordPolicy() {
        assertThat(SecurityRules.passwordPolicy(template)).isEmpty();
    }

    @Test
    void c19_userPool_signsInByEmail_caseInsensitively() {
        assertThat(SecurityRules.emailUsernamesCaseInsensitive(template)).isEmpty();
    }

    @Test
    void c19_userPool_offersOptionalTotpMfaOnly() {
        assertThat(SecurityRules.optionalTotpMfa(template)).isEmpty();
    }

    @Test
    void c19_deletionProtection_ofPoolAndTable_isOneParameter() {
        assertThat(SecurityRules.deletionProtectionParameterised(template)).isEmpty();
    }

    @Test
    void c19_deletionProtection_isActiveInTheProdConfig_andProdChangesAreConfirmed() {
        SamConfig config = SamConfig.load();
        assertThat(config.parameterOverrides("prod")).containsEntry("DeletionProtection", "ACTIVE");
        assertThat(config.get("prod.deploy.parameters", "confirm_changeset")).isEqualTo("true");
        // Every parameter the config overrides exists in the template (a typo would be ignored by nobody but us).
        for (String env : new String[] {"default", "prod"}) {
            assertThat(template.parameters().keySet()).as(env + " parameter_overrides")
                    .containsAll(config.parameterOverrides(env).keySet());
            assertThat(config.get(env + ".deploy.parameters", "capabilities"))
                    .as(env + " capabilities").contains("CAPABILITY_IAM").contains("CAPABILITY_AUTO_EXPAND");
        }
    }

    @Test
    void c14_userPoolClient_cannotWriteRoleLikeAttributes() {
        assertThat(SecurityRules.clientCannotWriteRoleLikeAttributes(template)).isEmpty();
    }

    @Test
    void c20_noResourceWildcard_anywhere() {
        assertThat(SecurityRules.noWildcardResource(template)).isEmpty();
    }

    @Test
    void c20_everyIamStatement_isScopedToTheTableIndexOrPoolArn() {
        assertThat(SecurityRules.iamStatementsScopedToTableIndexOrPool(template)).isEmpty();
    }

    @Test
    void c20_cognitoMayInvokeTheTriggers_onlyForThisPool() {
        assertThat(SecurityRules.cognitoInvokePermissionsScopedToThePool(template)).isEmpty();
    }

    @Test
    void c11_everyRouteButHealthAuthAndPreflight_isBehindTheAuthorizer() {
        assertThat(template.routes()).isNotEmpty();
        assertThat(SecurityRules.routesBehindTheAuthorizer(template)).isEmpty();
    }

    @Test
    void c17_throttling_onTheStage_andOnEveryAuthRoute() {
        assertThat(SecurityRules.throttling(template)).isEmpty();
    }

    @Test
    void logs_haveRetention_forEveryFunctionAndTheApi() {
        assertThat(SecurityRules.logRetention(template)).isEmpty();
    }

    @Test
    void gatewayResponses_401_403_429_4xx_5xx_carryCorsAndAProblemBody() {
        assertThat(SecurityRules.gatewayResponsesCarryCorsAndProblems(template)).isEmpty();
    }

    /** SECURITY.md 33, issue 16 finding 8. */
    @Test
    void s33_gatewayResponses_neverReflectTheOrigin_andAreNoStoreAndNosniff() {
        assertThat(SecurityRules.gatewayResponsesNeverReflectTheOrigin(template)).isEmpty();
    }

    /** Issue 16 finding 11: "BEARER x" was refused by API Gateway before the authorizer ran. */
    @Test
    void issue16_authorizerValidationExpression_acceptsTheBearerSchemeInAnyCase() {
        assertThat(SecurityRules.authorizerValidationExpressionFollowsRfc6750(template)).isEmpty();
    }

    @Test
    void issue17_oneStageOnly_noStageNamedStage() {
        assertThat(SecurityRules.oneStageOnly(template)).isEmpty();
    }

    @Test
    void issue17_apiGatewayLoggingRole_isSetBeforeTheStage_unlessSkipped() {
        assertThat(SecurityRules.apiGatewayAccountSetBeforeTheStage(template)).isEmpty();
    }

    @Test
    void issue17_waf_perIpLimits_andManagedRules_onTheStageAndTheHostedUi() {
        assertThat(SecurityRules.wafOnTheStageAndTheHostedUi(template)).isEmpty();
    }

    @Test
    void issue17_poolAndTable_retainedWhenProtected() {
        assertThat(SecurityRules.dataRetainedWhenProtected(template)).isEmpty();
    }

    @Test
    void issue17_snapStart_onEveryFunction_andItsCallersUseTheAlias() {
        assertThat(SecurityRules.snapStartEverywhere(template)).isEmpty();
    }

    @Test
    void issue17_accessLog_isJsonWithTheOperationalFields() {
        assertThat(SecurityRules.accessLogFormat(template)).isEmpty();
    }
}
