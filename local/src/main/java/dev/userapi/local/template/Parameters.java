package dev.userapi.local.template;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The template's parameters with their values: each {@code Default}, replaced by
 * {@code --parameter-overrides Key=Value} as {@code sam deploy} and {@code sam local} do, and checked
 * against the parameter's own constraints ({@code AllowedValues}, {@code AllowedPattern},
 * {@code MinValue}/{@code MaxValue}, {@code MinLength}/{@code MaxLength}) so a local run refuses what
 * CloudFormation would refuse. A {@code CommaDelimitedList} value is a {@code List<String>}; every
 * other value is a string.
 */
public final class Parameters {
    private final Map<String, Object> values;

    private Parameters(Map<String, Object> values) {
        this.values = values;
    }

    @SuppressWarnings("unchecked")
    public static Parameters of(Map<String, Object> template, Map<String, String> overrides) {
        Map<String, Object> declared = (Map<String, Object>) template.getOrDefault("Parameters", Map.of());
        for (String name : overrides.keySet()) {
            if (!declared.containsKey(name)) {
                throw new TemplateException("Unknown parameter in --parameter-overrides: " + name
                        + " (the template declares " + new TreeSet<>(declared.keySet()) + ")");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        declared.forEach((name, raw) -> {
            Map<String, Object> spec = (Map<String, Object>) raw;
            String text = overrides.containsKey(name) ? overrides.get(name)
                    : spec.containsKey("Default") ? scalar(spec.get("Default")) : null;
            if (text == null) {
                throw new TemplateException("Parameter " + name + " has no default: pass --parameter-overrides " + name + "=<value>");
            }
            String type = String.valueOf(spec.getOrDefault("Type", "String"));
            check(name, spec, type, text);
            values.put(name, type.equals("CommaDelimitedList") || type.startsWith("List<") ? list(text) : text);
        });
        return new Parameters(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A parameter's value: a string, or a list of strings for a list parameter. */
    public Object get(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new TemplateException("No such parameter: " + name);
        }
        return value;
    }

    public String string(String name) {
        Object value = get(name);
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : (String) value;
    }

    public Map<String, Object> all() {
        return Map.copyOf(values);
    }

    /** A YAML scalar as CloudFormation sees it: a string (a list default is already comma separated). */
    static String scalar(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static List<String> list(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return new ArrayList<>(Arrays.stream(text.split(",", -1)).map(String::trim).toList());
    }

    @SuppressWarnings("unchecked")
    private static void check(String name, Map<String, Object> spec, String type, String text) {
        if (spec.get("AllowedValues") instanceof List<?> allowed
                && allowed.stream().map(Parameters::scalar).noneMatch(text::equals)) {
            throw new TemplateException("Parameter " + name + "=" + text + " is not one of " + allowed);
        }
        if (spec.get("AllowedPattern") instanceof String pattern && !text.matches(pattern)) {
            throw new TemplateException("Parameter " + name + "=" + text + " does not match " + pattern);
        }
        if (spec.containsKey("MinLength") && text.length() < Integer.parseInt(scalar(spec.get("MinLength")))
                || spec.containsKey("MaxLength") && text.length() > Integer.parseInt(scalar(spec.get("MaxLength")))) {
            throw new TemplateException("Parameter " + name + " has a length outside its MinLength/MaxLength");
        }
        if (type.equals("Number")) {
            BigDecimal number;
            try {
                number = new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw new TemplateException("Parameter " + name + "=" + text + " is not a number");
            }
            if (spec.containsKey("MinValue") && number.compareTo(new BigDecimal(scalar(spec.get("MinValue")))) < 0
                    || spec.containsKey("MaxValue") && number.compareTo(new BigDecimal(scalar(spec.get("MaxValue")))) > 0) {
                throw new TemplateException("Parameter " + name + "=" + text + " is outside ["
                        + spec.getOrDefault("MinValue", "") + ", " + spec.getOrDefault("MaxValue", "") + "]");
            }
        }
    }
}
