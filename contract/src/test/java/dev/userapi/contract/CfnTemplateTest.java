package dev.userapi.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template reader the other tests trust: short tags, Fn::ForEach, duplicate keys. */
class CfnTemplateTest {
    private static final String SAMPLE = """
            Parameters:
              Roles: {Type: CommaDelimitedList, Default: "user,admin"}
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
              Fn::ForEach::Groups:
                - Role
                - !Ref Roles
                - Group&{Role}:
                    Type: AWS::Cognito::UserPoolGroup
                    Properties: {GroupName: !Ref Role, Description: !Sub "Members of ${Role}", Arn: !GetAtt Table.Arn}
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Events:
                    Fn::ForEach::Preflight:
                      - P
                      - [health, "users/{id}"]
                      - Options&{P}:
                          Type: Api
                          Properties: {Path: "/${P}", Method: options, RestApiId: !Ref Api}
            """;

    @Test
    void shortTags_becomeTheirLongForms() {
        Map<String, Object> group = CfnTemplate.parse(SAMPLE).resources().get("Groupadmin");
        assertThat(Y.get(group, "Properties", "GroupName")).isEqualTo("admin");
        assertThat(Y.get(group, "Properties", "Description")).isEqualTo(Map.of("Fn::Sub", "Members of admin"));
        assertThat(Y.get(group, "Properties", "Arn")).isEqualTo(Map.of("Fn::GetAtt", List.of("Table", "Arn")));
    }

    @Test
    void forEach_expandsResources_fromAParameterDefault() {
        assertThat(CfnTemplate.parse(SAMPLE).resources()).containsOnlyKeys("Table", "Groupuser", "Groupadmin", "Fn");
    }

    @Test
    void forEach_expandsEvents_intoRoutes() {
        assertThat(CfnTemplate.parse(SAMPLE).routes()).extracting(CfnTemplate.Route::eventId, CfnTemplate.Route::key,
                CfnTemplate.Route::restApiId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Optionshealth", "OPTIONS /health", "Api"),
                org.assertj.core.groups.Tuple.tuple("Optionsusersid", "OPTIONS /users/{id}", "Api"));
    }

    @Test
    void duplicateKeys_areRefused_asCloudFormationRefusesThem() {
        assertThatThrownBy(() -> CfnTemplate.parse("Resources:\n  A: {Type: X}\n  A: {Type: Y}\n"))
                .hasMessageContaining("A");
    }

    @Test
    void theRealTemplate_hasTheResourcesTheTestsLookAt() {
        CfnTemplate t = CfnTemplate.load();
        assertThat(t.resourcesOfType(SecurityRules.POOL)).hasSize(1);
        assertThat(t.resourcesOfType(SecurityRules.CLIENT)).hasSize(1);
        assertThat(t.resourcesOfType(CfnTemplate.API)).hasSize(1);
        assertThat(t.resources().keySet()).as("Fn::ForEach::RoleGroups expanded").contains("RoleGroupuser", "RoleGroupadmin");
        assertThat(t.routes().stream().filter(r -> !r.method().equals("OPTIONS"))).hasSizeGreaterThanOrEqualTo(31);
    }
}
