package dev.userapi.local.cognito;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PreTokenGenerationV2AdapterTest {
    private final PreTokenGenerationV2Adapter adapter = new PreTokenGenerationV2Adapter();
    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode json(byte[] bytes) throws Exception {
        return mapper.readTree(bytes);
    }

    @Test
    void cognitoLocalsV1Event_becomesAV2Event() throws Exception {
        String v1 = "{\"version\":\"0\",\"triggerSource\":\"TokenGeneration_Authentication\",\"userName\":\"u\","
                + "\"request\":{\"userAttributes\":{\"sub\":\"u\"},\"groupConfiguration\":{}},\"response\":{\"claimsOverrideDetails\":{}}}";

        JsonNode v2 = json(adapter.request(v1.getBytes(StandardCharsets.UTF_8)));

        assertThat(v2.path("version").asText()).isEqualTo("2");
        assertThat(v2.path("request").path("scopes").get(0).asText()).isEqualTo("aws.cognito.signin.user.admin");
        assertThat(v2.path("request").path("userAttributes").path("sub").asText()).isEqualTo("u");
        assertThat(v2.path("response").has("claimsAndScopeOverrideDetails")).isTrue();
        assertThat(v2.path("response").has("claimsOverrideDetails")).isFalse();
    }

    @Test
    void theV2Answer_isPassedBackInTheV1FieldCognitoLocalReads() throws Exception {
        String answer = "{\"version\":\"2\",\"response\":{\"claimsAndScopeOverrideDetails\":{"
                + "\"idTokenGeneration\":{\"claimsToAddOrOverride\":{\"roles\":[\"user\"]},\"claimsToSuppress\":[\"x\"]},"
                + "\"accessTokenGeneration\":{\"claimsToAddOrOverride\":{\"roles\":[\"user\"]}},"
                + "\"groupOverrideDetails\":{\"groupsToOverride\":[\"user\"]}}}}";

        JsonNode v1 = json(adapter.response(answer.getBytes(StandardCharsets.UTF_8))).path("response").path("claimsOverrideDetails");

        assertThat(v1.path("claimsToAddOrOverride").path("roles").get(0).asText()).isEqualTo("user");
        assertThat(v1.path("claimsToSuppress").get(0).asText()).isEqualTo("x");
        assertThat(v1.path("groupOverrideDetails").path("groupsToOverride").get(0).asText()).isEqualTo("user");
    }

    @Test
    void otherEvents_passUnchanged() {
        byte[] event = "{\"triggerSource\":\"PostConfirmation_ConfirmSignUp\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(adapter.request(event)).isEqualTo(event);
    }
}
