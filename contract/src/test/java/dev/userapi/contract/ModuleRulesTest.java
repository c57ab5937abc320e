package dev.userapi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModuleRules} on this repository, and on a made-up one where each rule can be broken. */
class ModuleRulesTest {
    private static final String TEMPLATE = """
            Resources:
              CoreLayer:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layers/core/}
              OneFunction:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: functions/one, Handler: dev.userapi.one.Handler::handleRequest}
            """;

    @TempDir
    Path root;

    @Test
    void thisRepositoryHoldsEveryRule() {
        assertThat(new ModuleRules(Repo.root()).violations()).isEmpty();
    }

    @BeforeEach
    void cleanRepository() throws IOException {
        write("pom.xml", pom("user-api-parent", "", "<modules><module>layers/core</module><module>functions/one</module>"
                + "<module>functions/two</module><module>local</module></modules>"));
        write("template.yaml", TEMPLATE);
        module("layers/core", "user-api-core", "dev/userapi/core");
        module("functions/one", "user-api-functions-one", "dev/userapi/one", "user-api-core");
        module("functions/two", "user-api-functions-two", "dev/userapi/two", "user-api-core");
        module("local", "user-api-local", "dev/userapi/local", "user-api-core", "user-api-functions-one");
    }

    @Test
    void aCleanRepositoryPasses() {
        assertThat(violations()).isEmpty();
    }

    @Test
    void aLayerDependingOnAFunctionOrTheLocalStackFails() throws IOException {
        module("layers/core", "user-api-core", "dev/userapi/core", "user-api-functions-one", "user-api-local");
        assertThat(violations()).containsExactly(
                "layers/core depends on user-api-functions-one (functions/one/): a layer may depend on layers only",
                "layers/core depends on user-api-local (local/): a layer may depend on layers only");
    }

    @Test
    void aFunctionDependingOnAnotherFunctionOrTheLocalStackFailsEvenInTestScope() throws IOException {
        write("functions/two/pom.xml", pom("user-api-functions-two", "", """
                <dependencies>
                  <dependency><groupId>dev.userapi</groupId><artifactId>user-api-functions-one</artifactId></dependency>
                  <dependency><groupId>dev.userapi</groupId><artifactId>user-api-local</artifactId><scope>test</scope></dependency>
                </dependencies>"""));
        assertThat(violations()).containsExactly(
                "functions/two depends on user-api-functions-one (functions/one/): a function may depend on layers only",
                "functions/two depends on user-api-local (local/): a function may depend on layers only");
    }

    @Test
    void aLambdaPackagedFromAnotherModuleFails() throws IOException {
        write("template.yaml", TEMPLATE.replace("CodeUri: functions/one", "CodeUri: local")
                .replace("ContentUri: layers/core/", "ContentUri: functions/two"));
        assertThat(violations()).containsExactly(
                "CoreLayer: ContentUri functions/two is not a layers/* module of the build; nothing else is packaged into a Lambda",
                "OneFunction: CodeUri local is not a functions/* module of the build; nothing else is packaged into a Lambda");
    }

    @Test
    void aSplitPackageFails() throws IOException {
        write("local/src/test/java/dev/userapi/one/Helper.java", "package dev.userapi.one;");
        write("functions/two/src/main/java/dev/userapi/core/Extra.java", "package dev.userapi.core;");
        assertThat(violations()).containsExactly(
                "split package dev.userapi.core in functions/two, layers/core",
                "split package dev.userapi.one in functions/one, local");
    }

    private java.util.List<String> violations() {
        return new ModuleRules(root).violations();
    }

    private void module(String folder, String artifactId, String packageDir, String... dependencies) throws IOException {
        StringBuilder deps = new StringBuilder("<dependencies>");
        for (String d : dependencies) {
            deps.append("<dependency><groupId>dev.userapi</groupId><artifactId>").append(d).append("</artifactId></dependency>");
        }
        deps.append("</dependencies>");
        write(folder + "/pom.xml", pom(artifactId, "<parent><artifactId>user-api-parent</artifactId></parent>", deps.toString()));
        write(folder + "/src/main/java/" + packageDir + "/Main.java", "package " + packageDir.replace('/', '.') + ";");
        write(folder + "/src/test/java/" + packageDir + "/MainTest.java", "package " + packageDir.replace('/', '.') + ";");
    }

    private static String pom(String artifactId, String parent, String body) {
        return "<project>" + parent + "<groupId>dev.userapi</groupId><artifactId>" + artifactId + "</artifactId>" + body + "</project>";
    }

    private void write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
