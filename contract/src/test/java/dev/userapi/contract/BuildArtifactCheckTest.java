package dev.userapi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BuildArtifactCheck} on a small made-up repository: a clean build passes, and every kind of fault it
 * exists for is reported by name with exit code 1. (CI also runs it on the real `sam build` output.)
 */
class BuildArtifactCheckTest {
    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Runtime: java21
                Layers:
                  - !Ref CoreLayer
            Resources:
              CoreLayer:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layers/core}
              IdentityLayer:
                Type: AWS::Serverless::LayerVersion
                Properties: {ContentUri: layers/identity/}
              OneFunction:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: functions/one
                  Handler: dev.userapi.one.Handler::handleRequest
                  Layers: [!Ref IdentityLayer]
              TwoFunction:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: functions/two
                  Handler: dev.userapi.two.Handler::handleRequest
            """;

    @TempDir
    Path root;
    Path build;

    @BeforeEach
    void cleanBuild() throws IOException {
        build = root.resolve(".aws-sam/build");
        write("template.yaml", TEMPLATE);
        write(".aws-sam/build/template.yaml", TEMPLATE
                .replace("layers/core", "CoreLayer").replace("layers/identity/", "IdentityLayer")
                .replace("functions/one", "OneFunction").replace("functions/two", "TwoFunction"));
        write(".aws-sam/build/CoreLayer/java/lib/user-api-core-1.0.jar", "jar");
        write(".aws-sam/build/CoreLayer/java/lib/jackson-core-2.20.jar", "jar");
        write(".aws-sam/build/IdentityLayer/java/lib/user-api-identity-1.0.jar", "jar");
        write(".aws-sam/build/OneFunction/dev/userapi/one/Handler.class",
                classFile(65, "dev/userapi/one/Handler", "Ldev/userapi/core/Json;", "dev/userapi/identity/AuthService"));
        write(".aws-sam/build/OneFunction/lib/small-library-1.0.jar", "jar");
        write(".aws-sam/build/TwoFunction/dev/userapi/two/Handler.class",
                classFile(61, "dev/userapi/two/Handler", "dev/userapi/core/Config"));
    }

    @Test
    void cleanBuildPassesWithTheSizeTable() {
        Result r = run();
        assertThat(r.code).isZero();
        assertThat(r.lines).hasSize(7);
        assertThat(r.lines.get(0)).isEqualTo("artifact                         jars  files      bytes     zipped");
        assertThat(r.lines.subList(1, 5)).extracting(l -> l.split(" +")[0])
                .containsExactly("CoreLayer", "IdentityLayer", "OneFunction", "TwoFunction");
        assertThat(r.lines.get(1)).matches("CoreLayer +2 +2 +6 +\\d+").hasSameSizeAs(r.lines.get(0));
        assertThat(r.lines.get(3)).matches("OneFunction +1 +2 +\\d+ +\\d+");
        assertThat(r.lines.get(5)).startsWith("total zipped ");
        assertThat(r.lines.get(6)).isEqualTo("check-build: 2 functions and 2 layers OK");
    }

    @Test
    void missingBuildIsReported() throws IOException {
        Files.delete(build.resolve("template.yaml"));
        Result r = run();
        assertThat(r.code).isEqualTo(1);
        assertThat(r.lines).containsExactly("FAIL: .aws-sam/build/template.yaml is missing: run sam build first");
    }

    @Test
    void handlerLinkingToALayerTheFunctionLacks() throws IOException {
        write(".aws-sam/build/TwoFunction/dev/userapi/two/Handler.class",
                classFile(65, "dev/userapi/two/Handler", "(Ldev/userapi/tokens/Verifier;)V"));
        assertFails("TwoFunction: dev.userapi.two.Handler uses dev/userapi/tokens/ but the function lacks TokensLayer");
    }

    @Test
    void handlerTooNewForTheRuntime() throws IOException {
        write(".aws-sam/build/TwoFunction/dev/userapi/two/Handler.class", classFile(69, "dev/userapi/two/Handler"));
        assertFails("TwoFunction: dev.userapi.two.Handler is class-file version 69, too new for java21");
    }

    @Test
    void handlerInALibraryJarIsFoundAndAMissingOneReported() throws IOException {
        Path handler = build.resolve("TwoFunction/dev/userapi/two/Handler.class");
        byte[] code = Files.readAllBytes(handler);
        Files.delete(handler);
        assertFails("TwoFunction: handler class dev.userapi.two.Handler is not in the artifact");

        Files.createDirectories(build.resolve("TwoFunction/lib"));
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(build.resolve("TwoFunction/lib/two.jar")))) {
            jar.putNextEntry(new ZipEntry("dev/userapi/two/Handler.class"));
            jar.write(code);
        }
        assertThat(run().code).isZero();
    }

    @Test
    void handlerThatIsNotAClassFile() throws IOException {
        write(".aws-sam/build/TwoFunction/dev/userapi/two/Handler.class", "not a class");
        assertFails("TwoFunction: dev.userapi.two.Handler.class is not a class file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mockito-core-5.24.0.jar", "junit-jupiter-api-5.11.jar", "DynamoDBLocal-2.5.jar",
            "sqlite4java-1.0.jar", "netty-nio-client-2.54.jar", "apache-client-2.54.jar", "httpclient-4.5.jar",
            "user-api-core-1.0.jar", "user-api-local-1.0.jar", "something-tests.jar", "snakeyaml-2.7.jar"})
    void forbiddenJarInAFunction(String jar) throws IOException {
        write(".aws-sam/build/OneFunction/lib/" + jar, "jar");
        assertFails("OneFunction: forbidden jar lib/" + jar);
    }

    @Test
    void forbiddenClassesInAFunction() throws IOException {
        for (String c : List.of("dev/userapi/local/DevStack.class", "dev/userapi/one/HandlerTest.class",
                "dev/userapi/one/HandlerTests$Nested.class", "dev/userapi/one/LoginIT.class")) {
            write(".aws-sam/build/OneFunction/" + c, "class");
        }
        write(".aws-sam/build/TwoFunction/dev/userapi/core/Json.class", "class");
        Result r = run();
        assertThat(r.code).isEqualTo(1);
        assertThat(r.lines).contains(
                "FAIL: OneFunction: test or local-stack class dev/userapi/local/DevStack.class",
                "FAIL: OneFunction: test or local-stack class dev/userapi/one/HandlerTest.class",
                "FAIL: OneFunction: test or local-stack class dev/userapi/one/HandlerTests$Nested.class",
                "FAIL: OneFunction: test or local-stack class dev/userapi/one/LoginIT.class",
                "FAIL: TwoFunction: dev/userapi/core/Json.class belongs in CoreLayer, not in the function",
                "check-build: 5 problem(s) in .aws-sam/build");
    }

    @Test
    void functionNotBuiltOrNotPointedAt() throws IOException {
        write(".aws-sam/build/template.yaml", Files.readString(build.resolve("template.yaml"))
                .replace("CodeUri: TwoFunction", "CodeUri: functions/two"));
        assertFails("TwoFunction: the built template does not point at the built function");
        delete(build.resolve("OneFunction"));
        assertFails("OneFunction: not built (.aws-sam/build/OneFunction is missing)");
    }

    @Test
    void handlerThatIsNoClassName() throws IOException {
        write("template.yaml", TEMPLATE.replace("dev.userapi.two.Handler::handleRequest", "dev.userapi.two.Handler-1::h"));
        assertFails("TwoFunction: handler 'dev.userapi.two.Handler-1::h' is not <class>::<method>");
        write("template.yaml", TEMPLATE.replace("dev.userapi.two.Handler::handleRequest", "Handler"));
        assertFails("TwoFunction: handler 'Handler' is not <class>::<method>");
    }

    @Test
    void layerFaults() throws IOException {
        write(".aws-sam/build/CoreLayer/java/lib/netty-buffer-4.1.jar", "jar");
        write(".aws-sam/build/CoreLayer/README.txt", "x");
        Files.move(build.resolve("IdentityLayer/java/lib/user-api-identity-1.0.jar"),
                build.resolve("IdentityLayer/java/lib/identity.jar"));
        Result r = run();
        assertThat(r.code).isEqualTo(1);
        assertThat(r.lines).contains(
                "FAIL: CoreLayer: files outside java/lib/*.jar: ['README.txt']",
                "FAIL: CoreLayer: forbidden jar netty-buffer-4.1.jar",
                "FAIL: IdentityLayer: its own jar (user-api-identity-*.jar) is missing");

        delete(build.resolve("IdentityLayer/java"));
        assertFails("IdentityLayer: no java/lib/*.jar in .aws-sam/build/IdentityLayer");
    }

    @Test
    void forEachThatMakesFunctionsIsNotUnderstood() throws IOException {
        write("template.yaml", TEMPLATE + """
                  Fn::ForEach::Extra:
                    - Name
                    - [A, B]
                    - ${Name}Function:
                        Type: AWS::Serverless::Function
                        Properties: {CodeUri: functions/two, Handler: dev.userapi.two.Handler::handleRequest}
                """);
        assertFails("Fn::ForEach::Extra: a ForEach that makes SAM resources is not understood by this check");
    }

    @Test
    void constantPoolIsReadPastTwoSlotConstants() {
        byte[] code = classFile(65, "dev/userapi/x/Y", "dev/userapi/identity/Z");
        assertThat(BuildArtifactCheck.constantPoolStrings(code)).containsExactly("dev/userapi/x/Y", "dev/userapi/identity/Z");
        byte[] truncated = java.util.Arrays.copyOf(code, code.length - 10);
        assertThat(String.join("", BuildArtifactCheck.constantPoolStrings(truncated))).contains("dev/userapi/x/Y");
    }

    @Test
    void zippedSizeIsHeadersPlusDeflatedBytes() throws IOException {
        write("z/a", "");
        // 22 (end record) + 30 + 1 (local header) + 2 (deflated empty input) + 46 + 1 (central directory)
        assertThat(BuildArtifactCheck.zippedSize(root.resolve("z"), List.of("a"))).isEqualTo(102);
    }

    // -------------------------------------------------------------------------------------------------------------

    private record Result(int code, List<String> lines) {
    }

    private Result run() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new BuildArtifactCheck(root).run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Result(code, bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    private void assertFails(String failure) {
        Result r = run();
        assertThat(r.code).isEqualTo(1);
        assertThat(r.lines).contains("FAIL: " + failure);
    }

    private void write(String relative, String text) throws IOException {
        write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(String relative, byte[] bytes) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static void delete(Path folder) throws IOException {
        try (var walk = Files.walk(folder)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A minimal class file: the given major version, a constant pool with a Long and the names, no members. */
    private static byte[] classFile(int major, String thisClass, String... names) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(major);
            out.writeShort(1 + 1 + 2 + 1 + names.length); // #1 Utf8 this, #2-3 Long, #4 Class, then the names
            out.writeByte(1);
            out.writeUTF(thisClass);
            out.writeByte(5);
            out.writeLong(0x0107_0001_0107_0001L); // bytes that look like tags, to be skipped
            out.writeByte(7);
            out.writeShort(1);
            for (String name : names) {
                out.writeByte(1);
                out.writeUTF(name);
            }
            out.writeShort(0x21);
            out.writeShort(4);
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
