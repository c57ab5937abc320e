package dev.userapi.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.userapi.core.problem.NotFoundException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ApiRequestTest {
    private static ApiRequest withId(String id) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("id", id);
        return new ApiRequest(new APIGatewayProxyRequestEvent().withPathParameters(parameters));
    }

    @Test
    void pathParameter_isReturnedAsDecodedByTheGateway() {
        assertThat(withId("2f6d8e1c-0b7a-4c5e-9d3f-1a2b3c4d5e6f").pathParameter("id")).isEqualTo("2f6d8e1c-0b7a-4c5e-9d3f-1a2b3c4d5e6f");
    }

    /** Issue 16 finding 11: /users/%20 answered 400 InvalidRequest; a blank id names no resource, like an unknown one. */
    @ParameterizedTest
    @ValueSource(strings = {" ", "   ", "\t", ""})
    void aBlankPathParameter_isNotFound(String id) {
        assertThatThrownBy(() -> withId(id).pathParameter("id")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aMissingPathParameter_isNotFound() {
        assertThatThrownBy(() -> withId("x").pathParameter("other")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> new ApiRequest(new APIGatewayProxyRequestEvent()).pathParameter("id")).isInstanceOf(NotFoundException.class);
    }
}
