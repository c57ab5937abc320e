package dev.userapi.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks what {@code sam build} produced in {@code .aws-sam/build} against template.yaml (run by
 * scripts/check-build.sh, after {@code sam build}; CI runs it in .ci/run).
 *
 * <p>For every AWS::Serverless::Function of the template:
 * <ul>
 *   <li>SAM built it (the built template's CodeUri is the function's own build folder);</li>
 *   <li>its handler class is in the artifact (classes at the root or in lib/*.jar), as Java bytecode the runtime
 *       runs (class-file major version: java17 = 61, java21 = 65, java25 = 69);</li>
 *   <li>it has every layer its handler class links to (a {@code dev/userapi/core/}, {@code dev/userapi/identity/}
 *       or {@code dev/userapi/tokens/} name in the handler's constant pool: CoreLayer, IdentityLayer, TokensLayer);</li>
 *   <li>it holds no layer jar, no layer class, no local-stack or test code, no test library, no DynamoDB Local,
 *       no Netty/Apache HTTP client.</li>
 * </ul>
 * For every AWS::Serverless::LayerVersion: java/lib/*.jar only, its own module jar among them, nothing forbidden.
 * Prints the size of each artifact (uncompressed and zipped). Exits 1 on any failure, naming each.
 *
 * <p>Lives in the contract module's test sources: never packaged, never deployed. Run it with
 * {@code java -Duserapi.root=<repository> -cp <contract test classpath> dev.userapi.contract.BuildArtifactCheck}.
 */
public final class BuildArtifactCheck {
    /** Runtime -> highest class-file major version it runs. */
    static final Map<String, Integer> RUNTIME_MAJOR = Map.of("java17", 61, "java21", 65, "java25", 69);
    /** Packages that the layers provide, and the layer that provides each (in this order). */
    static final Map<String, String> LAYER_PACKAGES = orderedMap(
            "dev/userapi/core/", "CoreLayer",
            "dev/userapi/identity/", "IdentityLayer",
            "dev/userapi/tokens/", "TokensLayer");
    static final Pattern FORBIDDEN_JAR = Pattern.compile(
            "(dynamodblocal|dynamodb-local|sqlite4java|jetty|antlr|junit|mockito|assertj|aws-lambda-java-tests|byte-buddy"
                    + "|objenesis|opentest4j|apiguardian|hamcrest|netty|apache-client|apache5-client|httpclient|httpcore"
                    + "|snakeyaml|user-api-local|-tests\\.jar$)",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    static final Pattern FORBIDDEN_CLASS = Pattern.compile("(^dev/userapi/local/|(Tests?|IT)(\\$[\\w$]*)?\\.class$)",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final String SERVERLESS = "AWS::Serverless::";

    private final Path root;
    private final Path build;

    BuildArtifactCheck(Path root) {
        this.root = root;
        this.build = root.resolve(".aws-sam").resolve("build");
    }

    public static void main(String[] args) {
        System.exit(new BuildArtifactCheck(Repo.root()).run(System.out));
    }

    private record Row(String name, long jars, Path folder) {
    }

    /** Runs every check, prints the size table and the failures to {@code out}; returns the exit code (0 or 1). */
    int run(PrintStream out) {
        List<String> errors = new ArrayList<>();
        Map<String, Object> template = Y.map(CfnYaml.load(read(root.resolve("template.yaml"))));
        Path builtPath = build.resolve("template.yaml");
        if (!Files.isRegularFile(builtPath)) {
            out.println("FAIL: " + rel(builtPath) + " is missing: run sam build first");
            return 1;
        }
        Map<String, Object> built = Y.map(CfnYaml.load(read(builtPath)));
        Map<String, Object> resources = Y.map(template.get("Resources"));
        Map<String, Object> builtResources = Y.map(built.get("Resources"));
        Map<String, Object> globalsFunction = Y.map(Y.get(template, "Globals", "Function"));

        // Resources as written: a Fn::ForEach that makes functions or layers would need its expansion mapped to the
        // build folders SAM names after it, which this check does not do.
        resources.forEach((key, value) -> {
            if (key.startsWith("Fn::ForEach::") && mentions(value, SERVERLESS)) {
                errors.add(key + ": a ForEach that makes SAM resources is not understood by this check");
            }
        });

        Map<String, Map<String, Object>> functions = ofType(resources, CfnTemplate.FUNCTION);
        Map<String, Map<String, Object>> layers = ofType(resources, CfnTemplate.LAYER);
        if (functions.isEmpty()) {
            errors.add("template.yaml has no " + CfnTemplate.FUNCTION);
        }
        List<Row> rows = new ArrayList<>();

        layers.forEach((name, layer) -> {
            Path folder = build.resolve(name);
            List<Path> jars = jars(folder.resolve("java").resolve("lib"));
            if (jars.isEmpty()) {
                errors.add(name + ": no java/lib/*.jar in " + rel(folder));
                return;
            }
            if (!Objects.equals(Y.get(builtResources.get(name), "Properties", "ContentUri"), name)) {
                errors.add(name + ": the built template does not point at the built layer");
            }
            List<String> strays = artifactFiles(folder).stream()
                    .filter(f -> !(f.startsWith("java/lib/") && f.endsWith(".jar")))
                    .toList();
            if (!strays.isEmpty()) {
                errors.add(name + ": files outside java/lib/*.jar: " + pyList(strays.subList(0, Math.min(5, strays.size()))));
            }
            String module = baseName(String.valueOf(Y.get(layer, "Properties", "ContentUri")));
            if (jars.stream().map(BuildArtifactCheck::fileName).noneMatch(j -> j.startsWith("user-api-") && j.contains(module))) {
                errors.add(name + ": its own jar (user-api-" + module + "-*.jar) is missing");
            }
            for (Path jar : jars) {
                if (FORBIDDEN_JAR.matcher(fileName(jar)).find()) {
                    errors.add(name + ": forbidden jar " + fileName(jar));
                }
            }
            rows.add(new Row(name, jars.size(), folder));
        });

        functions.forEach((name, function) -> {
            Map<String, Object> props = Y.map(function.get("Properties"));
            Path folder = build.resolve(name);
            if (!Files.isDirectory(folder)) {
                errors.add(name + ": not built (" + rel(folder) + " is missing)");
                return;
            }
            if (!Objects.equals(Y.get(builtResources.get(name), "Properties", "CodeUri"), name)) {
                errors.add(name + ": the built template does not point at the built function");
            }
            Object runtime = props.containsKey("Runtime") ? props.get("Runtime") : globalsFunction.get("Runtime");
            String handler = String.valueOf(props.getOrDefault("Handler", ""));
            String className = handler.split("::", 2)[0];
            if (!CLASS_NAME.matcher(className).matches()) {
                errors.add(name + ": handler " + pyRepr(handler) + " is not <class>::<method>");
                return;
            }
            byte[] code = findClass(folder, className.replace('.', '/') + ".class");
            if (code == null) {
                errors.add(name + ": handler class " + className + " is not in the artifact");
            } else if (!isClassFile(code)) {
                errors.add(name + ": " + className + ".class is not a class file");
            } else {
                int major = majorVersion(code);
                Integer highest = runtime instanceof String r ? RUNTIME_MAJOR.get(r) : null;
                if (highest != null && major > highest) {
                    errors.add(name + ": " + className + " is class-file version " + major + ", too new for " + runtime);
                }
                Set<String> functionLayers = new HashSet<>();
                for (Object layer : concat(Y.list(props.get("Layers")), Y.list(globalsFunction.get("Layers")))) {
                    if (layer instanceof Map<?, ?> m) {
                        functionLayers.add(Y.str(m.get("Ref")));
                    }
                }
                Collection<String> names = constantPoolStrings(code);
                LAYER_PACKAGES.forEach((pkg, layerName) -> {
                    if (names.stream().anyMatch(s -> s.contains(pkg)) && !functionLayers.contains(layerName)) {
                        errors.add(name + ": " + className + " uses " + pkg + " but the function lacks " + layerName);
                    }
                });
            }

            List<String> files = artifactFiles(folder);
            for (String f : files) {
                String base = f.substring(f.lastIndexOf('/') + 1);
                if (f.endsWith(".jar")) {
                    if (FORBIDDEN_JAR.matcher(base).find() || base.startsWith("user-api-")) {
                        errors.add(name + ": forbidden jar " + f);
                    }
                } else if (f.endsWith(".class")) {
                    if (FORBIDDEN_CLASS.matcher(f).find()) {
                        errors.add(name + ": test or local-stack class " + f);
                    }
                    LAYER_PACKAGES.forEach((pkg, layerName) -> {
                        if (f.startsWith(pkg)) {
                            errors.add(name + ": " + f + " belongs in " + layerName + ", not in the function");
                        }
                    });
                }
            }
            rows.add(new Row(name, files.stream().filter(f -> f.endsWith(".jar")).count(), folder));
        });

        out.println(String.format("%-32s %4s %6s %10s %10s", "artifact", "jars", "files", "bytes", "zipped"));
        long total = 0;
        for (Row row : rows) {
            List<String> files = artifactFiles(row.folder());
            long size = 0;
            for (String f : files) {
                size += sizeOf(row.folder().resolve(f));
            }
            long zipped = zippedSize(row.folder(), files);
            total += zipped;
            out.println(String.format("%-32s %4d %6d %10d %10d", row.name(), row.jars(), files.size(), size, zipped));
        }
        out.println(String.format("%-32s %4s %6s %10s %10d", "total zipped", "", "", "", total));

        for (String e : errors) {
            out.println("FAIL: " + e);
        }
        if (!errors.isEmpty()) {
            out.println("check-build: " + errors.size() + " problem(s) in .aws-sam/build");
            return 1;
        }
        out.println("check-build: " + functions.size() + " functions and " + layers.size() + " layers OK");
        return 0;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Template
    // -------------------------------------------------------------------------------------------------------------

    /** The resources of one type, by logical ID in sorted order (resources as written, Fn::ForEach not expanded). */
    private static Map<String, Map<String, Object>> ofType(Map<String, Object> resources, String type) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        resources.forEach((id, r) -> {
            if (r instanceof Map<?, ?> m && type.equals(m.get("Type"))) {
                out.put(id, Y.map(r));
            }
        });
        return out;
    }

    /** Whether any key or scalar of a YAML tree contains {@code text}. */
    private static boolean mentions(Object node, String text) {
        if (node instanceof Map<?, ?> m) {
            return m.entrySet().stream().anyMatch(e -> mentions(e.getKey(), text) || mentions(e.getValue(), text));
        }
        if (node instanceof List<?> l) {
            return l.stream().anyMatch(v -> mentions(v, text));
        }
        return node != null && node.toString().contains(text);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Artifacts
    // -------------------------------------------------------------------------------------------------------------

    /** The relative paths ('/'-separated, sorted) of every file of an artifact (jars as files, not opened). */
    static List<String> artifactFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> !p.equals(folder) && Files.isRegularFile(p))
                    .map(p -> folder.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The *.jar entries of a folder, sorted by name; none when it is not a folder. */
    private static List<Path> jars(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> fileName(p).endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of a class from the artifact's root or one of its lib/*.jar, or null. */
    private static byte[] findClass(Path folder, String classPath) {
        Path direct = folder.resolve(classPath);
        if (Files.isRegularFile(direct)) {
            return readBytes(direct);
        }
        for (Path jar : jars(folder.resolve("lib"))) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry(classPath);
                if (entry != null && !entry.isDirectory()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        return in.readAllBytes();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + jar, e);
            }
        }
        return null;
    }

    /**
     * The size of the artifact as one zip (deflated), as the deployment package would be: per file a local header
     * (30 bytes + name) and a central-directory entry (46 bytes + name) around its deflated bytes (zlib level 6,
     * raw), plus the 22-byte end record. That is the layout Python's zipfile writes to a seekable stream, which
     * this check's earlier Python version measured.
     */
    static long zippedSize(Path folder, List<String> files) {
        long total = 22;
        byte[] buffer = new byte[64 * 1024];
        Deflater deflater = new Deflater(6, true);
        try {
            for (String f : files) {
                int nameLength = f.getBytes(StandardCharsets.UTF_8).length;
                deflater.reset();
                long compressed = 0;
                try (InputStream in = Files.newInputStream(folder.resolve(f))) {
                    byte[] chunk = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(chunk)) > 0) {
                        deflater.setInput(chunk, 0, n);
                        while (!deflater.needsInput()) {
                            compressed += deflater.deflate(buffer);
                        }
                    }
                }
                deflater.finish();
                while (!deflater.finished()) {
                    compressed += deflater.deflate(buffer);
                }
                total += 30 + nameLength + compressed + 46 + nameLength;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return total;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Class files
    // -------------------------------------------------------------------------------------------------------------

    static boolean isClassFile(byte[] code) {
        return code.length >= 4 && (code[0] & 0xff) == 0xca && (code[1] & 0xff) == 0xfe && (code[2] & 0xff) == 0xba
                && (code[3] & 0xff) == 0xbe;
    }

    /** Bytes 6-7, big-endian (as many as the file has). */
    static int majorVersion(byte[] code) {
        int major = 0;
        for (int i = 6; i < Math.min(8, code.length); i++) {
            major = (major << 8) | (code[i] & 0xff);
        }
        return major;
    }

    /**
     * The CONSTANT_Utf8 strings of a class file's constant pool: the names of every class, field, method and
     * descriptor it links to. A truncated or otherwise unreadable pool falls back to the whole file read as
     * ISO-8859-1, so a reference is never missed (the packages are ASCII, encoded the same in both).
     */
    static Collection<String> constantPoolStrings(byte[] code) {
        try {
            ByteBuffer in = ByteBuffer.wrap(code);
            in.position(8);
            int count = Short.toUnsignedInt(in.getShort());
            List<String> strings = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = Byte.toUnsignedInt(in.get());
                switch (tag) {
                    case 1 -> { // Utf8 (modified UTF-8; ASCII as is)
                        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
                        in.get(bytes);
                        strings.add(new String(bytes, StandardCharsets.ISO_8859_1));
                    }
                    case 7, 8, 16, 19, 20 -> skip(in, 2); // Class, String, MethodType, Module, Package
                    case 15 -> skip(in, 3); // MethodHandle
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> skip(in, 4); // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                    case 5, 6 -> { // Long, Double: two slots
                        skip(in, 8);
                        i++;
                    }
                    default -> throw new IllegalArgumentException("constant pool tag " + tag);
                }
            }
            return strings;
        } catch (RuntimeException unreadable) {
            return List.of(new String(code, StandardCharsets.ISO_8859_1));
        }
    }

    private static void skip(ByteBuffer in, int bytes) {
        in.position(in.position() + bytes);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Small helpers
    // -------------------------------------------------------------------------------------------------------------

    private String rel(Path path) {
        return root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    }

    private static String fileName(Path path) {
        return path.getFileName().toString();
    }

    /** The last segment of a '/'-separated path, trailing slashes ignored. */
    private static String baseName(String path) {
        String trimmed = path.replaceAll("/+$", "");
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /** A string quoted the way the messages have always shown it ('text'). */
    static String pyRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == quote) {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\r') {
                out.append("\\r");
            } else {
                out.append(c);
            }
        }
        return out.append(quote).toString();
    }

    static String pyList(List<String> items) {
        return items.stream().map(BuildArtifactCheck::pyRepr).reduce((a, b) -> a + ", " + b)
                .map(s -> "[" + s + "]").orElse("[]");
    }
}
