package dev.userapi.local.template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Expands {@code Fn::ForEach} loops (the {@code AWS::LanguageExtensions} transform) the way
 * CloudFormation does before SAM sees the template: each {@code Fn::ForEach::Name: [Identifier,
 * Collection, {OutputKey: OutputValue}]} becomes one copy of the output per item, with
 * {@code ${Identifier}} and {@code &{Identifier}} replaced in keys and strings and
 * {@code Ref: Identifier} replaced by the item. {@code &{...}} keeps only the item's alphanumerics,
 * as logical IDs require. Loops may nest.
 */
public final class ForEach {
    private static final String PREFIX = "Fn::ForEach::";

    private final Function<Object, Object> resolveCollection;

    /** @param resolveCollection evaluates a loop's collection (a literal list or e.g. {@code !Ref} of a list parameter) */
    public ForEach(Function<Object, Object> resolveCollection) {
        this.resolveCollection = resolveCollection;
    }

    public Object expand(Object node) {
        return expand(node, Map.of());
    }

    @SuppressWarnings("unchecked")
    private Object expand(Object node, Map<String, String> bindings) {
        if (node instanceof Map<?, ?> raw) {
            Map<String, Object> map = (Map<String, Object>) raw;
            if (map.size() == 1 && map.get("Ref") instanceof String ref && bindings.containsKey(ref)) {
                return bindings.get(ref);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : map.entrySet()) {
                if (entry.getKey().startsWith(PREFIX)) {
                    loop(entry.getKey(), entry.getValue(), bindings, result);
                } else {
                    put(result, substitute(entry.getKey(), bindings), expand(entry.getValue(), bindings));
                }
            }
            return result;
        }
        if (node instanceof List<?> list) {
            List<Object> result = new ArrayList<>(list.size());
            for (Object item : list) {
                result.add(expand(item, bindings));
            }
            return result;
        }
        if (node instanceof String text) {
            return substitute(text, bindings);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private void loop(String name, Object spec, Map<String, String> bindings, Map<String, Object> into) {
        if (!(spec instanceof List<?> args) || args.size() != 3 || !(args.get(0) instanceof String identifier)
                || !(args.get(2) instanceof Map<?, ?> output)) {
            throw new TemplateException(name + " must be [Identifier, Collection, {OutputKey: OutputValue}]");
        }
        Object collection = resolveCollection.apply(expand(args.get(1), bindings));
        if (!(collection instanceof List<?> items)) {
            throw new TemplateException(name + ": the collection is not a list: " + collection);
        }
        for (Object item : items) {
            Map<String, String> inner = new HashMap<>(bindings);
            inner.put(identifier, String.valueOf(item));
            Map<String, Object> expanded = (Map<String, Object>) expand(output, inner);
            expanded.forEach((key, value) -> put(into, key, value));
        }
    }

    private static void put(Map<String, Object> into, String key, Object value) {
        if (into.put(key, value) != null) {
            throw new TemplateException("Fn::ForEach produced the key " + key + " twice");
        }
    }

    static String substitute(String text, Map<String, String> bindings) {
        if (bindings.isEmpty() || (!text.contains("${") && !text.contains("&{"))) {
            return text;
        }
        String result = text;
        for (Map.Entry<String, String> binding : bindings.entrySet()) {
            result = result.replace("${" + binding.getKey() + "}", binding.getValue())
                    .replace("&{" + binding.getKey() + "}", binding.getValue().replaceAll("[^A-Za-z0-9]", ""));
        }
        return result;
    }
}
