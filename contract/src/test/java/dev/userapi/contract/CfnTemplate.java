package dev.userapi.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * template.yaml as the tests read it: CloudFormation short tags in long form, and {@code Fn::ForEach}
 * (AWS::LanguageExtensions) expanded in Resources and in a function's Events, as CloudFormation does before the
 * Serverless transform. Every accessor reads the current map, so a test can mutate a {@link #copy()} and see the
 * effect.
 */
final class CfnTemplate {
    static final String FUNCTION = "AWS::Serverless::Function";
    static final String LAYER = "AWS::Serverless::LayerVersion";
    static final String API = "AWS::Serverless::Api";
    private static final String FOR_EACH = "Fn::ForEach::";

    private final Map<String, Object> root;

    private CfnTemplate(Map<String, Object> root) {
        this.root = root;
    }

    static CfnTemplate load() {
        return parse(Repo.read("template.yaml"));
    }

    static CfnTemplate parse(String yaml) {
        return new CfnTemplate(Y.copy(Y.map(CfnYaml.load(yaml))));
    }

    CfnTemplate copy() {
        return new CfnTemplate(Y.copy(root));
    }

    Map<String, Object> root() {
        return root;
    }

    Map<String, Object> parameters() {
        return Y.map(root.get("Parameters"));
    }

    Map<String, Object> parameter(String name) {
        Object p = parameters().get(name);
        if (p == null) {
            throw new IllegalStateException("no parameter " + name);
        }
        return Y.map(p);
    }

    Map<String, Object> globalsFunction() {
        return Y.map(Y.get(root, "Globals", "Function"));
    }

    /** The resources with every {@code Fn::ForEach} expanded. */
    Map<String, Map<String, Object>> resources() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        expand(Y.map(root.get("Resources"))).forEach((k, v) -> out.put(k, Y.map(v)));
        return out;
    }

    Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        resources().forEach((id, r) -> {
            if (type.equals(r.get("Type"))) {
                out.put(id, r);
            }
        });
        return out;
    }

    /** The resource as written in the template (not a copy): for tests that mutate a {@link #copy()}. */
    Map<String, Object> resource(String id) {
        Object r = Y.map(root.get("Resources")).get(id);
        if (r == null) {
            throw new IllegalStateException("no resource " + id);
        }
        return Y.map(r);
    }

    Map<String, Object> properties(String id) {
        return Y.map(resource(id).get("Properties"));
    }

    Map<String, Map<String, Object>> functions() {
        return resourcesOfType(FUNCTION);
    }

    /** The layers a function runs with: its own {@code Layers} and those of {@code Globals} (SAM appends them). */
    Set<String> layersOf(String functionId) {
        Set<String> layers = new LinkedHashSet<>();
        for (Object layer : Y.list(globalsFunction().get("Layers"))) {
            layers.add(Y.ref(layer));
        }
        for (Object layer : Y.list(Y.get(functions().get(functionId), "Properties", "Layers"))) {
            layers.add(Y.ref(layer));
        }
        return layers;
    }

    /** An API route: a function's {@code Type: Api} event. */
    record Route(String functionId, String eventId, String method, String path, Map<String, Object> event) {
        String key() {
            return method + " " + path;
        }

        /** {@code Auth: {Authorizer: NONE}}: no token needed. */
        boolean isPublic() {
            return "NONE".equals(Y.get(event, "Auth", "Authorizer"));
        }

        /** The REST API the route belongs to ({@code RestApiId: !Ref X}), or null for SAM's implicit API. */
        String restApiId() {
            return Y.ref(event.get("RestApiId"));
        }
    }

    /** Every Api event of every function, Fn::ForEach in Events expanded. */
    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        functions().forEach((id, fn) -> events(id).forEach((eventId, event) -> {
            if ("Api".equals(event.get("Type"))) {
                Map<String, Object> props = Y.map(event.get("Properties"));
                routes.add(new Route(id, eventId, Objects.toString(props.get("Method")).toUpperCase(java.util.Locale.ROOT),
                        Objects.toString(props.get("Path")), props));
            }
        }));
        return routes;
    }

    /** A function's events with Fn::ForEach expanded. */
    Map<String, Map<String, Object>> events(String functionId) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        expand(Y.map(Y.get(functions().get(functionId), "Properties", "Events"))).forEach((k, v) -> out.put(k, Y.map(v)));
        return out;
    }

    /** The parameter a value refers to with {@code !Ref}, or null when it is not a parameter reference. */
    Map<String, Object> referencedParameter(Object value) {
        String ref = Y.ref(value);
        return ref != null && parameters().containsKey(ref) ? parameter(ref) : null;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Fn::ForEach, as AWS::LanguageExtensions expands it: the collection is a list or a !Ref to a CommaDelimitedList
    // parameter (its Default); ${Id} and &{Id} in keys and strings, and {Ref: Id}, become the item.
    // -------------------------------------------------------------------------------------------------------------

    Map<String, Object> expand(Map<String, Object> section) {
        Map<String, Object> out = new LinkedHashMap<>();
        section.forEach((key, value) -> {
            if (!key.startsWith(FOR_EACH)) {
                out.put(key, value);
                return;
            }
            List<Object> loop = Y.list(value);
            if (loop.size() != 3) {
                throw new IllegalStateException(key + " must be [identifier, collection, fragment]");
            }
            String identifier = Y.str(loop.get(0));
            for (String item : collection(loop.get(1))) {
                Map<String, Object> fragment = Y.map(substitute(Y.copy(loop.get(2)), identifier, item));
                expand(fragment).forEach((k, v) -> {
                    if (out.put(k, v) != null) {
                        throw new IllegalStateException(key + " makes " + k + " twice");
                    }
                });
            }
        });
        return out;
    }

    private List<String> collection(Object value) {
        Map<String, Object> param = referencedParameter(value);
        if (param != null) {
            String defaults = Y.str(param.get("Default"));
            return defaults == null || defaults.isEmpty() ? List.of() : List.of(defaults.split("\\s*,\\s*"));
        }
        List<String> items = new ArrayList<>();
        for (Object item : Y.list(value)) {
            items.add(Y.str(item));
        }
        return items;
    }

    private static Object substitute(Object node, String identifier, String item) {
        if (node instanceof String s) {
            return replace(s, identifier, item);
        }
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && identifier.equals(m.get("Ref"))) {
                return item;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(replace(Y.str(k), identifier, item), substitute(v, identifier, item)));
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(substitute(v, identifier, item)));
            return out;
        }
        return node;
    }

    private static String replace(String text, String identifier, String item) {
        String plain = Matcher.quoteReplacement(item);
        String alnum = Matcher.quoteReplacement(item.replaceAll("[^A-Za-z0-9]", ""));
        return text.replaceAll(Pattern.quote("${" + identifier + "}"), plain)
                .replaceAll(Pattern.quote("&{" + identifier + "}"), alnum);
    }
}
