package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userapi.local.ProjectLayout;
import dev.userapi.local.testing.Functions;
import dev.userapi.local.testing.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every event in {@code events/} invoked through the Lambda Invoke API of the running stack (what
 * {@code scripts/invoke.sh} and cognito-local use): {@code events/sign-up.json} goes to
 * {@code SignUpFunction}, and so on. Each must return a well-formed response: a route event a proxy
 * response that is not 5xx, a trigger event its answer, an authorizer event a policy or
 * {@code Unauthorized}.
 */
class InvokeEventsIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestFactory
    Stream<DynamicTest> everyEvent_invokesItsFunction() throws IOException {
        Path events = new ProjectLayout(ProjectLayout.findRoot()).events();
        List<Path> files;
        try (Stream<Path> list = Files.list(events)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("events/ holds the functions' sample events").isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> invoke(file)));
    }

    /** {@code sign-up.json} → {@code SignUpFunction}: the function whose logical ID, kebab-cased without "Function", names the file. */
    static String functionId(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        return TestStack.get().functions().stream().map(f -> f.id())
                .filter(id -> id.replaceFirst("Function$", "").replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT).equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("events/" + file.getFileName() + " belongs to no function of template.yaml"));
    }

    private void invoke(Path file) throws Exception {
        String functionId = functionId(file);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(TestStack.get().lambdaEndpoint() + "/2015-03-31/functions/" + functionId + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(file))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(functionId + " exists in template.yaml (" + response.body() + ")").isEqualTo(200);
        JsonNode payload = MAPPER.readTree(response.body());
        boolean failed = response.headers().firstValue("X-Amz-Function-Error").isPresent();
        assertThat(Functions.hasCode(functionId)).as(functionId + " has its handler class").isTrue();
        JsonNode event = MAPPER.readTree(file.toFile());
        if ("TOKEN".equals(event.path("type").asText())) {
            // A TOKEN authorizer answers with a policy, or with API Gateway's "Unauthorized" error
            // (the sample's token is not signed by the local pool, so that is what it must say).
            if (failed) {
                assertThat(payload.path("errorMessage").asText()).as(functionId + ": " + response.body()).isEqualTo("Unauthorized");
            } else {
                assertThat(payload.path("principalId").asText()).as("a policy: " + response.body()).isNotBlank();
                assertThat(payload.path("policyDocument").isObject()).as("a policy: " + response.body()).isTrue();
            }
            return;
        }
        assertThat(failed).as(functionId + " failed: " + response.body()).isFalse();
        if (event.has("httpMethod")) {
            assertThat(payload.path("statusCode").isInt()).as("a proxy response: " + response.body()).isTrue();
            assertThat(payload.path("statusCode").asInt()).as(functionId + " answered " + response.body()).isLessThan(500);
        }
    }
}
