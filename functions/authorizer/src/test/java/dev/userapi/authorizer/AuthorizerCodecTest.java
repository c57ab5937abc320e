package dev.userapi.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The authorizer's hand-written JSON: the TOKEN event read, the policy written as the Lambda runtime would. */
class AuthorizerCodecTest {
    private static final String ARN = "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/GET/me";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static APIGatewayCustomAuthorizerEvent read(String json) {
        return AuthorizerCodec.readEvent(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void read_theThreeFields() {
        APIGatewayCustomAuthorizerEvent event = read("{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer abc\",\"methodArn\":\"" + ARN + "\"}");

        assertThat(event.getType()).isEqualTo("TOKEN");
        assertThat(event.getAuthorizationToken()).isEqualTo("Bearer abc");
        assertThat(event.getMethodArn()).isEqualTo(ARN);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Bearer abc.def_-ghi", "Bearer a\\u0062c", "Bearer a\\\"b", "Bearer \\/x", "Bearer caf\u00e9", "Bearer \u20ac", "",
        "Bearer a\\nb", "Bearer \u007f"})
    void read_theTokenIsExactlyWhatJacksonReads_whetherTakenFromTheBytesOrDecoded(String jsonText) throws IOException {
        // the token's bytes are taken as they are only when plain printable ASCII; escapes and other bytes go through Jackson
        String json = "{\"type\":\"TOKEN\",\"authorizationToken\":\"" + jsonText + "\",\"methodArn\":\"" + ARN + "\"}";

        APIGatewayCustomAuthorizerEvent event = read(json);

        assertThat(event.getAuthorizationToken()).isEqualTo(JSON.readTree(json).get("authorizationToken").textValue());
        assertThat(event.getMethodArn()).isEqualTo(ARN);
        assertThat(event.getType()).isEqualTo("TOKEN");
    }

    @Test
    void read_unknownFieldsAreIgnored_andNestedValuesSkippedWhole() {
        APIGatewayCustomAuthorizerEvent event = read("{\"version\":1,\"extra\":{\"authorizationToken\":\"Bearer inner\","
                + "\"methodArn\":\"inner\",\"deeper\":[{\"type\":\"X\"},[1,2,null]]},\"type\":\"TOKEN\",\"list\":[\"methodArn\",\"x\"],"
                + "\"authorizationToken\":\"Bearer outer\",\"flag\":true,\"none\":null,\"methodArn\":\"" + ARN + "\"}");

        assertThat(event.getType()).isEqualTo("TOKEN");
        assertThat(event.getAuthorizationToken()).isEqualTo("Bearer outer");
        assertThat(event.getMethodArn()).isEqualTo(ARN);
    }

    @Test
    void read_aNestedValueInPlaceOfAField_leavesTheFieldAbsent_andTheRestIsRead() {
        APIGatewayCustomAuthorizerEvent event = read("{\"authorizationToken\":{\"authorizationToken\":\"Bearer inner\"},"
                + "\"methodArn\":[\"" + ARN + "\"],\"type\":\"TOKEN\"}");

        assertThat(event.getAuthorizationToken()).isNull();
        assertThat(event.getMethodArn()).isNull();
        assertThat(event.getType()).isEqualTo("TOKEN");
    }

    @Test
    void read_missingOrIllTypedFields_areAbsent() {
        APIGatewayCustomAuthorizerEvent event = read("{\"authorizationToken\":42,\"methodArn\":null,\"type\":false}");
        assertThat(event.getAuthorizationToken()).isNull();
        assertThat(event.getMethodArn()).isNull();
        assertThat(event.getType()).isNull();

        APIGatewayCustomAuthorizerEvent empty = read("{}");
        assertThat(empty.getAuthorizationToken()).isNull();
        assertThat(empty.getMethodArn()).isNull();
    }

    @Test
    void read_aLargeHeader_isReadWhole() {
        String large = "Bearer " + "a".repeat(60 * 1024);

        APIGatewayCustomAuthorizerEvent event = read("{\"authorizationToken\":\"" + large + "\",\"methodArn\":\"" + ARN + "\"}");

        assertThat(event.getAuthorizationToken()).isEqualTo(large);
        assertThat(event.getMethodArn()).isEqualTo(ARN);
    }

    /** The core layer's JSON limits strings to 64 KiB: a huger header (or any field) is no event, refused whole. */
    @Test
    void read_aHugeHeader_isNoEvent() {
        String huge = "Bearer " + "a".repeat(1 << 20);

        assertThat(read("{\"authorizationToken\":\"" + huge + "\",\"methodArn\":\"" + ARN + "\"}")).isNull();
        assertThat(read("{\"methodArn\":\"" + ARN + "\",\"ignored\":\"" + huge + "\"}")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[]", "null", "\"TOKEN\"", "42", "{", "{\"type\":\"TOKEN\"", "{\"type\":", "{\"type\":\"TOKEN\",}",
            "{\"a\":{\"b\":1}", "not json", "{\"type\":\"TO"})
    void read_whatIsNotOneJsonObject_isNoEvent(String input) {
        assertThat(read(input)).as(input).isNull();
    }

    // ---------------------------------------------------------------------------------------------

    private static IamPolicyResponseV1 policy(Map<String, Object> context, String usageKey) {
        IamPolicyResponseV1.Statement statement = IamPolicyResponseV1.Statement.builder()
                .withAction(IamPolicyResponseV1.EXECUTE_API_INVOKE)
                .withEffect(IamPolicyResponseV1.ALLOW)
                .withResource(List.of("arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/GET/me",
                        "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/GET/me/*"))
                .build();
        return IamPolicyResponseV1.builder()
                .withPrincipalId("0f9a1c2e-1111-2222-3333-444455556666")
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(List.of(statement))
                        .build())
                .withContext(context)
                .withUsageIdentifierKey(usageKey)
                .build();
    }

    private static String written(IamPolicyResponseV1 response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AuthorizerCodec.writePolicy(response, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the Lambda Java runtime writes for a handler returning {@code response}. */
    @SuppressWarnings("unchecked")
    private static JsonNode runtimeSerialisation(IamPolicyResponseV1 response) throws IOException {
        PojoSerializer<IamPolicyResponseV1> serializer = LambdaEventSerializers.isLambdaSupportedEvent(IamPolicyResponseV1.class.getName())
                ? LambdaEventSerializers.serializerFor(IamPolicyResponseV1.class, AuthorizerCodecTest.class.getClassLoader())
                : JacksonFactory.getInstance().getSerializer(IamPolicyResponseV1.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(response, out);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void write_thePolicyJsonOfTheRuntimesSerialiser_withoutNulls() throws IOException {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("sub", "0f9a1c2e-1111-2222-3333-444455556666");
        context.put("username", "ada");
        context.put("roles", "admin,user");
        IamPolicyResponseV1 response = policy(context, null);

        String json = written(response);

        assertThat(JSON.readTree(json)).isEqualTo(runtimeSerialisation(response));
        assertThat(json).doesNotContain("null").doesNotContain("Condition").doesNotContain("usageIdentifierKey");
        JsonNode statement = JSON.readTree(json).path("policyDocument").path("Statement").path(0);
        assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
        assertThat(statement.path("Action").asText()).isEqualTo("execute-api:Invoke");
        assertThat(statement.path("Resource").size()).isEqualTo(2);
        assertThat(JSON.readTree(json).path("policyDocument").path("Version").asText()).isEqualTo("2012-10-17");
    }

    @Test
    void write_contextValuesKeepTheirJsonTypes_andTheUsageKeyIsWritten() throws IOException {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("sub", "s");
        context.put("admin", true);
        context.put("count", 3);
        context.put("big", 9_007_199_254_740_993L);
        context.put("dropped", null);
        IamPolicyResponseV1 response = policy(context, "usage-key-1");

        JsonNode json = JSON.readTree(written(response));

        assertThat(json).isEqualTo(runtimeSerialisation(response));
        assertThat(json.path("context").path("admin").isBoolean()).isTrue();
        assertThat(json.path("context").path("count").asLong()).isEqualTo(3);
        assertThat(json.path("context").path("big").asLong()).isEqualTo(9_007_199_254_740_993L);
        assertThat(json.path("context").has("dropped")).isFalse();
        assertThat(json.path("usageIdentifierKey").asText()).isEqualTo("usage-key-1");
    }

    @Test
    void write_noContext_noContextField() throws IOException {
        IamPolicyResponseV1 response = policy(null, null);

        JsonNode json = JSON.readTree(written(response));

        assertThat(json).isEqualTo(runtimeSerialisation(response));
        assertThat(json.has("context")).isFalse();
    }

    @Test
    void write_leavesTheOutputOpen() throws IOException {
        boolean[] closed = {false};
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                if (closed[0]) {
                    throw new IllegalStateException("closed");
                }
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };

        AuthorizerCodec.writePolicy(policy(Map.of("sub", "s"), null), out);

        assertThat(closed[0]).isFalse();
    }

    @Test
    void write_aFailingOutput_throws() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }
        };
        assertThatThrownBy(() -> AuthorizerCodec.writePolicy(policy(Map.of("sub", "s"), null), broken)).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user", "admin,user", "", "admin"})
    void writeAllowed_isTheRuntimesSerialisationOfTheAllowPolicy(String roles) throws IOException {
        List<String> sorted = roles.isEmpty() ? List.of() : List.of(roles.split(","));
        dev.userapi.tokens.VerifiedAccessToken token = new dev.userapi.tokens.VerifiedAccessToken("0f9a1c2e-1111-2222-3333-444455556666",
                "ada \"quoted\" \u00e9", "client", 1_700_000_000L, 1_700_003_600L, java.util.Optional.empty(), 1_699_999_999L);
        for (String prefix : List.of("arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/",
                "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/dev/")) {
            AccessPolicy.Allowed allowed = new AccessPolicy.Allowed(prefix, token, sorted);
            for (int call = 0; call < 2; call++) { // the second call copies the cached document
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                AuthorizerCodec.writeAllowed(allowed, out);
                assertThat(JSON.readTree(out.toByteArray())).isEqualTo(runtimeSerialisation(AccessPolicy.allow(allowed)));
            }
        }
    }
}
