package dev.userapi.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.local.ProjectLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The project's own template.yaml, read the way the local stack reads it. */
class SamTemplateTest {
    private static final Map<String, String> PSEUDO = Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "123456789012",
            "AWS::StackName", "user-api-local", "AWS::Partition", "aws", "AWS::URLSuffix", "amazonaws.com");

    private static SamTemplate load(Map<String, String> overrides) {
        LocalResources physical = new LocalResources().put("UsersTable", "local-table").put("UserPool", "local_pool")
                .put("UserPoolClient", "local-client").put("Api", "localapi");
        SamTemplate template = SamTemplate.load(new ProjectLayout(ProjectLayout.findRoot()).template(), overrides, PSEUDO, physical);
        template.logicalIdsOfType(SamTemplate.FUNCTION).forEach(id -> physical.put(id, id));
        template.logicalIdsOfType("AWS::Serverless::LayerVersion").forEach(id -> physical.put(id, id));
        dev.userapi.local.events.LocalEvents.nameResources(template, physical, "us-east-1", "123456789012");
        return template;
    }

    private static FunctionDefinition function(SamTemplate template, String id) {
        return template.functions().stream().filter(f -> f.logicalId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void forEach_expandsThePreflightLoop_intoOnePublicOptionsRoutePerPath() {
        FunctionDefinition preflight = function(load(Map.of()), "CorsPreflightFunction");

        assertThat(preflight.apiEvents()).extracting(ApiEvent::method).containsOnly("OPTIONS");
        assertThat(preflight.apiEvents()).extracting(ApiEvent::authorizer).containsOnly(Optional.empty());
        assertThat(preflight.apiEvents()).extracting(ApiEvent::path).contains("/health", "/auth/login", "/users/{id}/roles");
        assertThat(preflight.apiEvents()).extracting(ApiEvent::name).contains("Optionsusersidroles");
    }

    @Test
    void forEach_overTheRolesParameter_makesOneGroupPerRole() {
        SamTemplate template = load(Map.of("Roles", "user,admin,auditor"));

        List<String> groups = template.logicalIdsOfType("AWS::Cognito::UserPoolGroup");

        assertThat(groups).containsExactlyInAnyOrder("RoleGroupuser", "RoleGroupadmin", "RoleGroupauditor");
        assertThat(template.properties("RoleGroupauditor")).containsEntry("GroupName", "auditor")
                .containsEntry("UserPoolId", "local_pool")
                .containsEntry("Description", "Members of the auditor role (mirrored from DynamoDB)");
    }

    @Test
    void functionEnvironment_mergesGlobals_andResolvesRefsToLocalResources() {
        FunctionDefinition signUp = function(load(Map.of("UniformResponseMillis", "100")), "SignUpFunction");

        assertThat(signUp.environment())
                .containsEntry("TABLE_NAME", "local-table")
                .containsEntry("ROLES", "user,admin")
                .containsEntry("ALLOWED_ORIGINS", "http://localhost:3000")
                .containsEntry("UNIFORM_RESPONSE_MILLIS", "100")
                .containsEntry("USER_POOL_ID", "local_pool")
                .containsEntry("USER_POOL_CLIENT_ID", "local-client");
        assertThat(signUp.handlerClass()).isEqualTo("dev.userapi.auth.SignUpHandler");
        assertThat(signUp.handlerMethod()).isEqualTo("handleRequest");
        assertThat(signUp.timeoutSeconds()).as("from Globals").isEqualTo(10);
    }

    @Test
    void functionProperties_overrideGlobals() {
        SamTemplate template = load(Map.of());

        assertThat(function(template, "HealthFunction").memorySizeMb()).isEqualTo(512);
        assertThat(function(template, "PostConfirmationFunction").timeoutSeconds()).isEqualTo(5);
    }

    @Test
    void routes_useTheDefaultAuthorizer_unlessTheyOptOut() {
        SamTemplate template = load(Map.of());

        assertThat(function(template, "GetMeFunction").apiEvents()).singleElement()
                .satisfies(e -> assertThat(e.authorizer()).contains("CognitoAccessToken"));
        assertThat(function(template, "HealthFunction").apiEvents()).singleElement()
                .satisfies(e -> assertThat(e.authorizer()).isEmpty());
    }

    @Test
    void restApi_hasTheTokenAuthorizer_withItsValidationAndCacheTtlFromTheParameter() {
        RestApiDefinition api = load(Map.of("AuthorizerCacheTtlSeconds", "0")).restApi().orElseThrow();

        TokenAuthorizerDefinition authorizer = api.authorizer("CognitoAccessToken").orElseThrow();
        assertThat(authorizer.functionId()).isEqualTo("AuthorizerFunction");
        assertThat(authorizer.identityHeader()).isEqualTo("Authorization");
        assertThat(authorizer.ttlSeconds()).isZero();
        assertThat(authorizer.validationExpression().orElseThrow().matcher("Bearer abc.def.ghi").matches()).isTrue();
        assertThat(authorizer.validationExpression().orElseThrow().matcher("Basic abc").matches()).isFalse();
        assertThat(api.stageName()).isEqualTo("dev");
        assertThat(api.gatewayResponses()).containsKeys("UNAUTHORIZED", "ACCESS_DENIED", "DEFAULT_4XX", "DEFAULT_5XX");
    }

    /**
     * Issue 16 finding 8, as the local gateway renders the template: never the request's Origin, the single allowed
     * origin or '*', always no-store and nosniff.
     */
    @Test
    void s33_gatewayResponses_renderTheSingleAllowedOrigin_orAStar_neverTheRequestsOrigin() {
        for (var allowed : List.of(List.of("https://app.example.com", "'https://app.example.com'"),
                List.of("https://app.example.com,https://admin.example.com", "'*'"))) {
            RestApiDefinition api = load(Map.of("AllowedOrigins", allowed.get(0))).restApi().orElseThrow();
            var responses = new dev.userapi.local.gateway.GatewayResponses(api.gatewayResponses(), api.stageName());
            for (var type : dev.userapi.local.gateway.GatewayResponses.Type.values()) {
                var rendered = responses.render(type, Optional.empty(), "id", "/me", "GET",
                        name -> name.equalsIgnoreCase("Origin") ? Optional.of("https://evil.example") : Optional.empty());
                String expected = allowed.get(1).substring(1, allowed.get(1).length() - 1);
                assertThat(rendered.headers()).as(type + " with " + allowed.get(0))
                        .containsEntry("Access-Control-Allow-Origin", List.of(expected))
                        .containsEntry("Cache-Control", List.of("no-store"))
                        .containsEntry("X-Content-Type-Options", List.of("nosniff"));
            }
        }
    }

    /** Issue 16 finding 11: the expression the local gateway applies is the template's, and takes the scheme in any case. */
    @Test
    void authorizerValidationExpression_takesTheBearerSchemeInAnyCase_andOneOrMoreSpaces() {
        var expression = load(Map.of()).restApi().orElseThrow().authorizer("CognitoAccessToken").orElseThrow()
                .validationExpression().orElseThrow();
        for (String accepted : List.of("Bearer a.b.c", "BEARER a.b.c", "bearer a.b.c", "Bearer  a.b.c")) {
            assertThat(expression.matcher(accepted).matches()).as(accepted).isTrue();
        }
        for (String refused : List.of("Basic a.b.c", "Bearer\ta.b.c", "Bearera.b.c", "Bearer a b")) {
            assertThat(expression.matcher(refused).matches()).as(refused).isFalse();
        }
    }

    @Test
    void restApi_throttlesTheStage_andEachAuthRoute_asTheParametersSay() {
        RestApiDefinition api = load(Map.of("AuthThrottlingRateLimit", "3")).restApi().orElseThrow();

        assertThat(api.throttling()).anySatisfy(t -> assertThat(t.isStageDefault()).isTrue());
        assertThat(api.throttling()).filteredOn(t -> t.resource().equals("/auth/login")).singleElement()
                .satisfies(t -> {
                    assertThat(t.httpMethod()).isEqualTo("POST");
                    assertThat(t.rateLimit()).isEqualTo(3.0);
                    assertThat(t.burstLimit()).isEqualTo(20);
                });
    }

    @Test
    void conditions_followTheParameters() {
        assertThat(load(Map.of("DeletionProtection", "ACTIVE")).properties("UsersTable"))
                .containsEntry("DeletionProtectionEnabled", true).containsEntry("TableName", "user-api-local-users");
        assertThat(load(Map.of()).properties("UsersTable")).containsEntry("DeletionProtectionEnabled", false);
    }

    @Test
    void poolTriggers_nameTheTriggerFunctions() {
        Map<String, Object> lambdaConfig = load(Map.of()).properties("UserPool");

        assertThat(lambdaConfig.get("LambdaConfig").toString())
                .contains("PostConfirmation=PostConfirmationFunction", "LambdaArn=PreTokenGenerationFunction", "LambdaVersion=V2_0");
    }

    @Test
    void overrides_areCheckedAgainstTheParametersConstraints() {
        assertThatThrownBy(() -> load(Map.of("UniformResponseMillis", "99999"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("UniformResponseMillis");
        assertThatThrownBy(() -> load(Map.of("Stage", "Not-Valid"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> load(Map.of("NoSuchParameter", "x"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Unknown parameter");
    }
}
