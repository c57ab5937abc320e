package dev.userapi.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {
    private static final String YAML = """
            Parameters:
              Names: {Type: CommaDelimitedList, Default: "a,b,c"}
              Env: {Type: String, Default: prod}
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
              IsNotProd: !Not [!Condition IsProd]
            Resources:
              Thing:
                Type: Custom::Thing
                Properties:
                  Sub: !Sub ${AWS::StackName}-${Env}-${!Literal}
                  SubVars: !Sub ["${X}.${Thing.Arn}", {X: !Ref Env}]
                  Join: !Join ["|", !Ref Names]
                  Select: !Select [1, !Split [",", "x,y,z"]]
                  If: !If [IsProd, yes-prod, not-prod]
                  Not: !If [IsNotProd, 1, 2]
                  Att: !GetAtt Thing.Arn
                  Gone: !Ref AWS::NoValue
                  List: [keep, !Ref AWS::NoValue]
            """;

    private static SamTemplate template(Map<String, String> overrides) {
        LocalResources physical = new LocalResources().putAttribute("Thing", "Arn", "arn:thing");
        return SamTemplate.of(TemplateLoader.parse(YAML), overrides, Map.of("AWS::StackName", "stack"), physical);
    }

    @Test
    void evaluatesTheShortFormIntrinsics() {
        Map<String, Object> p = template(Map.of()).properties("Thing");

        assertThat(p).containsEntry("Sub", "stack-prod-${Literal}")
                .containsEntry("SubVars", "prod.arn:thing")
                .containsEntry("Join", "a|b|c")
                .containsEntry("Select", "y")
                .containsEntry("If", "yes-prod")
                .containsEntry("Not", 2)
                .containsEntry("Att", "arn:thing")
                .containsEntry("List", List.of("keep"))
                .doesNotContainKey("Gone");
    }

    @Test
    void conditionsFollowOverrides() {
        Map<String, Object> p = template(Map.of("Env", "dev", "Names", "x, y")).properties("Thing");

        assertThat(p).containsEntry("If", "not-prod").containsEntry("Not", 1).containsEntry("Join", "x|y");
    }

    @Test
    void anUnknownRef_isAnError() {
        String yaml = "Resources:\n  T:\n    Type: X\n    Properties: {A: !Ref Nowhere}\n";
        SamTemplate template = SamTemplate.of(TemplateLoader.parse(yaml), Map.of(), Map.of(), new LocalResources());

        assertThatThrownBy(() -> template.properties("T")).isInstanceOf(TemplateException.class).hasMessageContaining("Nowhere");
    }
}
