package dev.userapi.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userapi.local.template.FunctionDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LambdaFunctionTest {
    private final LambdaFunctions functions = new LambdaFunctions("us-east-1", "123456789012");
    private final ObjectMapper mapper = new ObjectMapper();

    @AfterEach
    void close() {
        functions.close();
    }

    private LambdaFunction function(String id, Class<?> handler, int timeout) {
        return functions.register(new FunctionDefinition(id, handler.getName() + "::handleRequest", "x", "java21", timeout, 512,
                Map.of(), List.of()), Map.of("GREETING", "hello from " + id));
    }

    private JsonNode invoke(LambdaFunction function, String json) throws Exception {
        return mapper.readTree(function.invoke(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aProxyHandler_getsTheEventAsApiGatewaySendsIt_andItsOwnEnvironment_constructedOnce() throws Exception {
        LambdaFunction function = function("ProxyFunction", SampleHandlers.Proxy.class, 3);
        int before = SampleHandlers.CONSTRUCTED.get();
        String event = "{\"path\":\"/x\",\"httpMethod\":\"GET\",\"queryStringParameters\":{\"name\":\"ada\"},"
                + "\"requestContext\":{\"identity\":{\"sourceIp\":\"10.1.2.3\"}}}";

        JsonNode first = invoke(function, event);
        JsonNode second = invoke(function, event);

        assertThat(first.path("statusCode").asInt()).isEqualTo(200);
        assertThat(first.path("body").asText()).isEqualTo("hello from ProxyFunction ada from 10.1.2.3 as ProxyFunction");
        assertThat(first.path("headers").path("X-Path").asText()).isEqualTo("/x");
        assertThat(second).isEqualTo(first);
        assertThat(SampleHandlers.CONSTRUCTED.get() - before).as("one cold start").isEqualTo(1);
        assertThat(System.getenv("GREETING")).as("the process environment is untouched").isNull();
    }

    @Test
    void twoFunctionsOfOneClass_eachGetTheirOwnEnvironment() throws Exception {
        String event = "{\"path\":\"/x\",\"httpMethod\":\"GET\",\"queryStringParameters\":{\"name\":\"ada\"},"
                + "\"requestContext\":{\"identity\":{\"sourceIp\":\"10.1.2.3\"}}}";

        JsonNode first = invoke(function("FirstFunction", SampleHandlers.Proxy.class, 3), event);
        JsonNode second = invoke(function("SecondFunction", SampleHandlers.Proxy.class, 3), event);

        assertThat(first.path("body").asText()).startsWith("hello from FirstFunction ");
        assertThat(second.path("body").asText()).startsWith("hello from SecondFunction ");
    }

    @Test
    void theEnvironmentConstructor_isPreferred_andANoArgOneIsTheFallback() throws Exception {
        assertThat(LambdaFunction.constructor(SampleHandlers.Proxy.class).getParameterTypes()).containsExactly(Map.class);
        assertThat(LambdaFunction.constructor(SampleHandlers.Stream.class).getParameterTypes()).isEmpty();
        assertThatThrownBy(() -> LambdaFunction.constructor(FunctionError.class)).isInstanceOf(NoSuchMethodException.class);
    }

    @Test
    void typeArguments_areFoundThroughAGenericBaseClass() {
        assertThat(HandlerInvoker.typeArguments(SampleHandlers.Proxy.class, com.amazonaws.services.lambda.runtime.RequestHandler.class))
                .extracting(t -> t.getTypeName())
                .containsExactly("com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent",
                        "com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent");
    }

    @Test
    void mapsAndStreams_areCalledWithPlainJson() throws Exception {
        assertThat(invoke(function("Maps", SampleHandlers.Maps.class, 3), "{\"a\":1}").toString())
                .isEqualTo("[\"1\",\"hello from Maps\"]");
        assertThat(invoke(function("Stream", SampleHandlers.Stream.class, 3), "{\"a\":1}").toString())
                .isEqualTo("{\"echo\":{\"a\":1}}");
    }

    @Test
    void anException_isAFunctionErrorWithLambdasErrorDocument() throws Exception {
        LambdaFunction function = function("Throws", SampleHandlers.Throws.class, 3);

        assertThatThrownBy(() -> function.invoke("{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(FunctionError.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Unauthorized");
                    assertThat(e.errorType()).isEqualTo("java.lang.IllegalStateException");
                    JsonNode payload;
                    try {
                        payload = mapper.readTree(e.payload());
                    } catch (java.io.IOException io) {
                        throw new AssertionError(io);
                    }
                    assertThat(payload.path("errorMessage").asText()).isEqualTo("Unauthorized");
                    assertThat(payload.path("stackTrace").isArray()).isTrue();
                });
    }

    @Test
    void aSlowHandler_timesOutAfterTheFunctionsTimeout() {
        LambdaFunction function = function("Slow", SampleHandlers.Slow.class, 1);

        assertThatThrownBy(() -> function.invoke("{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FunctionError.Timeout.class).hasMessage("Task timed out after 1.00 seconds");
    }

    @Test
    void aMissingClass_orAFailingConstructor_isUnavailable_andTheFunctionSaysSo() {
        LambdaFunction missing = functions.register(new FunctionDefinition("Missing", "dev.userapi.nope.NoHandler::handleRequest", "x",
                "java21", 3, 512, Map.of(), List.of()), Map.of());
        LambdaFunction broken = function("Broken", SampleHandlers.BrokenConstructor.class, 3);

        assertThat(missing.hasCode()).isFalse();
        assertThatThrownBy(() -> missing.invoke(new byte[0])).isInstanceOf(FunctionError.Unavailable.class)
                .hasMessageContaining("dev.userapi.nope.NoHandler");
        assertThatThrownBy(() -> broken.invoke(new byte[0])).isInstanceOf(FunctionError.Unavailable.class)
                .hasMessageContaining("Missing environment variable TABLE_NAME");
    }

    @Test
    void functionsAreFoundByNameQualifiedNameOrArn() {
        function("Maps", SampleHandlers.Maps.class, 3);

        assertThat(functions.find("Maps")).isPresent();
        assertThat(functions.find("Maps:live")).isPresent();
        assertThat(functions.find("arn:aws:lambda:us-east-1:123456789012:function:Maps:live")).isPresent();
        assertThat(functions.find("Nope")).isEmpty();
    }

    @Test
    void eachInvocation_recordsItsWallDuration_andTheCpuTimeOfItsThread() throws Exception {
        assertThat(InvocationDurations.cpuTimeMeasured()).as("this JVM measures thread CPU time").isTrue();
        LambdaFunction spins = function("Spins", SampleHandlers.Spins.class, 60);
        LambdaFunction sleeps = function("Sleeps", SampleHandlers.Sleeps.class, 60);
        invoke(sleeps, "{\"sleepMillis\":0}"); // the first invocation's class loading is CPU too: not part of what is checked
        sleeps.durations().drainWithCpu();

        invoke(spins, "{\"cpuMillis\":150}");
        invoke(sleeps, "{\"sleepMillis\":200}");

        InvocationDurations.Drained spun = spins.durations().drainWithCpu();
        InvocationDurations.Drained slept = sleeps.durations().drainWithCpu();
        assertThat(spun.cpuNanos()).hasSize(1);
        assertThat(spun.cpuNanos()[0]).as("CPU of a handler that works 150 ms of CPU").isGreaterThanOrEqualTo(150_000_000L);
        assertThat(spun.wallNanos()[0]).as("wall covers the CPU span").isGreaterThanOrEqualTo(spun.cpuNanos()[0]);
        assertThat(slept.wallNanos()).hasSize(1);
        assertThat(slept.wallNanos()[0]).as("wall of a handler that sleeps 200 ms").isGreaterThanOrEqualTo(190_000_000L);
        assertThat(slept.cpuNanos()[0]).as("its CPU").isBetween(0L, 100_000_000L);
    }
}
