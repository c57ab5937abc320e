package dev.userapi.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The module dependency rules, read from the poms, the sources and template.yaml (ModuleRulesTest runs them in
 * {@code mvn verify}):
 * <ul>
 *   <li>a layer ({@code layers/*}) depends on other layers only: never on a function, the local stack, the
 *       benchmark, the contract tests or the lambda-context support module;</li>
 *   <li>a function ({@code functions/*}) depends on layers only: never on another function or any of those;</li>
 *   <li>only {@code functions/*} and {@code layers/*} are packaged into a Lambda: every function's CodeUri and every
 *       layer's ContentUri in template.yaml is one of those modules (with the two rules above, the local stack,
 *       the contract tests, the benchmark and lambda-context never reach an artifact);</li>
 *   <li>no split packages: each Java package (main and test sources) belongs to one module.</li>
 * </ul>
 * Every scope counts ({@code test} too): a test dependency on the local stack would still make a function's tests
 * depend on what the function must never need. {@code sam build}'s actual output is checked by {@link BuildArtifactCheck}.
 */
final class ModuleRules {
    private static final String GROUP = "dev.userapi";

    /** Where a module sits, by its folder. */
    enum Kind {
        LAYER, FUNCTION, OTHER;

        static Kind of(String folder) {
            if (folder.startsWith("layers/")) {
                return LAYER;
            }
            return folder.startsWith("functions/") ? FUNCTION : OTHER;
        }
    }

    record Module(String folder, String artifactId, Kind kind, Set<String> dependencies) {
    }

    private final Path root;

    ModuleRules(Path root) {
        this.root = root;
    }

    /** Every broken rule, one message each; empty when the repository holds them all. */
    List<String> violations() {
        List<String> errors = new ArrayList<>();
        Map<String, Module> byArtifact = new LinkedHashMap<>();
        for (String folder : childElements(pom(root.resolve("pom.xml")), "modules", "module")) {
            Document pom = pom(root.resolve(folder).resolve("pom.xml"));
            Set<String> dependencies = new TreeSet<>();
            for (Element dependency : elements(pom.getDocumentElement(), "dependencies", "dependency")) {
                String group = text(dependency, "groupId");
                if (GROUP.equals(group) || "${project.groupId}".equals(group)) {
                    dependencies.add(text(dependency, "artifactId"));
                }
            }
            Module module = new Module(folder, text(pom.getDocumentElement(), "artifactId"), Kind.of(folder), dependencies);
            byArtifact.put(module.artifactId(), module);
        }

        for (Module module : byArtifact.values()) {
            if (module.kind() == Kind.OTHER) {
                continue;
            }
            for (String dependency : module.dependencies()) {
                Module target = byArtifact.get(dependency);
                String what = target == null ? "an unknown " + GROUP + " artifact" : target.folder() + "/";
                if (target == null || target.kind() != Kind.LAYER) {
                    errors.add(module.folder() + " depends on " + dependency + " (" + what + "): "
                            + (module.kind() == Kind.LAYER ? "a layer" : "a function") + " may depend on layers only");
                }
            }
        }

        Map<String, Object> resources = Y.map(Y.get(CfnYaml.load(read(root.resolve("template.yaml"))), "Resources"));
        resources.forEach((id, resource) -> {
            Object type = Y.get(resource, "Type");
            String property = CfnTemplate.FUNCTION.equals(type) ? "CodeUri" : CfnTemplate.LAYER.equals(type) ? "ContentUri" : null;
            if (property == null) {
                return;
            }
            String uri = String.valueOf(Y.get(resource, "Properties", property)).replaceAll("/+$", "");
            Module module = byArtifact.values().stream().filter(m -> m.folder().equals(uri)).findFirst().orElse(null);
            Kind expected = property.equals("CodeUri") ? Kind.FUNCTION : Kind.LAYER;
            if (module == null || module.kind() != expected) {
                errors.add(id + ": " + property + " " + uri + " is not a " + (expected == Kind.FUNCTION ? "functions/*" : "layers/*")
                        + " module of the build; nothing else is packaged into a Lambda");
            }
        });

        Map<String, Set<String>> owners = new TreeMap<>();
        for (Module module : byArtifact.values()) {
            for (String sources : List.of("src/main/java", "src/test/java")) {
                for (String pkg : packages(root.resolve(module.folder()).resolve(sources))) {
                    owners.computeIfAbsent(pkg, p -> new TreeSet<>()).add(module.folder());
                }
            }
        }
        owners.forEach((pkg, modules) -> {
            if (modules.size() > 1) {
                errors.add("split package " + pkg + " in " + String.join(", ", modules));
            }
        });
        return errors;
    }

    /** The packages (dotted) of the .java files under a source root. */
    private static Set<String> packages(Path sources) {
        Set<String> packages = new TreeSet<>();
        if (!Files.isDirectory(sources)) {
            return packages;
        }
        try (Stream<Path> walk = Files.walk(sources)) {
            walk.filter(p -> p.getFileName().toString().endsWith(".java") && Files.isRegularFile(p))
                    .map(p -> sources.relativize(p.getParent()).toString().replace(p.getFileSystem().getSeparator(), "."))
                    .forEach(packages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return packages;
    }

    private static Document pom(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The {@code child} elements of {@code parent}'s direct {@code container} child (not of nested ones, e.g. plugins'). */
    private static List<Element> elements(Element parent, String container, String child) {
        List<Element> out = new ArrayList<>();
        for (Element c : directChildren(parent, container)) {
            out.addAll(directChildren(c, child));
        }
        return out;
    }

    private static List<String> childElements(Document document, String container, String child) {
        return elements(document.getDocumentElement(), container, child).stream().map(e -> e.getTextContent().trim()).toList();
    }

    private static List<Element> directChildren(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node node = children.item(i);
            if (node instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        List<Element> found = directChildren(parent, name);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
