package dev.userapi.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.local.ProjectLayout;
import dev.userapi.local.template.FunctionDefinition;
import dev.userapi.local.template.LocalResources;
import dev.userapi.local.template.SamTemplate;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wiring convention, for every function of template.yaml: a public no-arg constructor (the Lambda
 * runtime's) and a public constructor taking the environment as a {@code Map<String, String>} (what
 * the local stack calls with each function's own variables).
 */
class HandlerConventionTest {

    @Test
    void everyHandlerOfTheTemplate_hasTheRuntimesConstructor_andTheEnvironmentOne() throws Exception {
        LocalResources physical = new LocalResources().put("UsersTable", "t").put("UserPool", "p").put("UserPoolClient", "c")
                .put("Api", "a");
        SamTemplate template = SamTemplate.load(new ProjectLayout(ProjectLayout.findRoot()).template(), Map.of(),
                Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "123456789012", "AWS::StackName", "s", "AWS::Partition", "aws",
                        "AWS::URLSuffix", "amazonaws.com"), physical);
        template.logicalIdsOfType(SamTemplate.FUNCTION).forEach(id -> physical.put(id, id));
        template.logicalIdsOfType("AWS::Serverless::LayerVersion").forEach(id -> physical.put(id, id));
        dev.userapi.local.events.LocalEvents.nameResources(template, physical, "us-east-1", "123456789012");
        List<FunctionDefinition> functions = template.functions();
        assertThat(functions).hasSizeGreaterThan(30);

        for (FunctionDefinition function : functions) {
            Class<?> type = Class.forName(function.handlerClass());
            assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).as(function.logicalId()).isTrue();
            assertThat(LambdaFunction.constructor(type).getParameterTypes()).as(function.logicalId()).containsExactly(Map.class);
        }
    }
}
