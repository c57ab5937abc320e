package dev.userapi.e2e.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * What the suite reads from the checkout's {@code template.yaml} (the template the stack under test was
 * made from): the API's routes, each with whether the authorizer guards it, and the parameters'
 * defaults. Intrinsic functions ({@code !Ref}, {@code !Sub}, ...) are read as their plain values;
 * {@code Fn::ForEach} over events is expanded.
 */
public final class Template {
    /** One API event: {@code method path}, the function that serves it, the authorizer that guards it (empty: none). */
    public record Route(String method, String resource, String functionId, Optional<String> authorizer) {
    }

    private final Map<String, Object> root;

    private Template(Map<String, Object> root) {
        this.root = root;
    }

    @SuppressWarnings("unchecked")
    public static Template read(Path file) {
        try {
            Yaml yaml = new Yaml(new PlainConstructor());
            return new Template((Map<String, Object>) yaml.load(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Every parameter's default ({@code ""} when it has none). */
    @SuppressWarnings("unchecked")
    public Map<String, String> parameterDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        ((Map<String, Object>) root.getOrDefault("Parameters", Map.of())).forEach((name, raw) -> {
            Object value = ((Map<String, Object>) raw).get("Default");
            defaults.put(name, value == null ? "" : value instanceof List<?> list
                    ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value));
        });
        return defaults;
    }

    /** Every API event of every function, in template order. */
    @SuppressWarnings("unchecked")
    public List<Route> routes() {
        Map<String, Object> resources = (Map<String, Object>) root.get("Resources");
        Optional<String> defaultAuthorizer = Optional.empty();
        for (Object raw : resources.values()) {
            if (!(raw instanceof Map<?, ?>)) {
                continue; // Fn::ForEach at the top of Resources (role groups): no API in it
            }
            Map<String, Object> resource = (Map<String, Object>) raw;
            if ("AWS::Serverless::Api".equals(resource.get("Type"))) {
                Map<String, Object> auth = (Map<String, Object>) ((Map<String, Object>) resource.get("Properties"))
                        .getOrDefault("Auth", Map.of());
                defaultAuthorizer = Optional.ofNullable((String) auth.get("DefaultAuthorizer")).filter(a -> !a.equals("NONE"));
            }
        }
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            if (!(entry.getValue() instanceof Map<?, ?>)) {
                continue;
            }
            Map<String, Object> resource = (Map<String, Object>) entry.getValue();
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                continue;
            }
            Map<String, Object> events = (Map<String, Object>) ((Map<String, Object>) resource.get("Properties"))
                    .getOrDefault("Events", Map.of());
            for (Map<String, Object> event : expand(events)) {
                if (!"Api".equals(event.get("Type"))) {
                    continue;
                }
                Map<String, Object> p = (Map<String, Object>) event.get("Properties");
                Map<String, Object> auth = (Map<String, Object>) p.getOrDefault("Auth", Map.of());
                Optional<String> authorizer = auth.containsKey("Authorizer")
                        ? Optional.of(String.valueOf(auth.get("Authorizer"))).filter(a -> !a.equals("NONE")) : defaultAuthorizer;
                routes.add(new Route(String.valueOf(p.get("Method")).toUpperCase(Locale.ROOT), String.valueOf(p.get("Path")),
                        entry.getKey(), authorizer));
            }
        }
        return routes;
    }

    /** The events, with {@code Fn::ForEach::<name>: [var, [items], {key&{var}: body with ${var}}]} expanded. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> expand(Map<String, Object> events) {
        List<Map<String, Object>> out = new ArrayList<>();
        events.forEach((key, value) -> {
            if (key.startsWith("Fn::ForEach::")) {
                List<Object> loop = (List<Object>) value;
                String variable = String.valueOf(loop.get(0));
                Map<String, Object> body = (Map<String, Object>) loop.get(2);
                for (Object item : (List<Object>) loop.get(1)) {
                    body.values().forEach(template -> out.add((Map<String, Object>) substitute(template, variable, String.valueOf(item))));
                }
            } else {
                out.add((Map<String, Object>) value);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object substitute(Object value, String variable, String item) {
        if (value instanceof String text) {
            return text.replace("${" + variable + "}", item).replace("&{" + variable + "}", item);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> copy.put((String) substitute(k, variable, item), substitute(v, variable, item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> substitute(v, variable, item)).toList();
        }
        return value;
    }

    /** Reads CloudFormation's tags ({@code !Ref x}, {@code !Sub ...}) as the plain node under them. */
    private static final class PlainConstructor extends SafeConstructor {
        PlainConstructor() {
            super(new LoaderOptions());
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    if (node instanceof ScalarNode scalar) {
                        return constructScalar(scalar);
                    }
                    if (node instanceof SequenceNode sequence) {
                        return constructSequence(sequence);
                    }
                    return constructMapping((MappingNode) node);
                }
            });
        }
    }
}
