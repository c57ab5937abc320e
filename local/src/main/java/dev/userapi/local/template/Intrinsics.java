package dev.userapi.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates CloudFormation intrinsic functions ({@code Ref}, {@code Fn::Sub}, {@code Fn::Join},
 * {@code Fn::If}, {@code Fn::Equals}, {@code Fn::Select}, {@code Fn::Split}, {@code Fn::GetAtt}...)
 * against the parameters, the pseudo parameters of the local "stack" and the physical names the
 * local services gave the template's resources. This is how each function's environment gets the
 * same values locally that CloudFormation would compute on AWS, e.g. {@code !Ref UsersTable} → the
 * local table's name and {@code !Ref UserPool} → cognito-local's pool ID.
 */
public final class Intrinsics {
    /** What a {@code Ref} to {@code AWS::NoValue} evaluates to: the enclosing property disappears. */
    public static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    /** The physical side of the local stack: names and attributes of resources the local services created. */
    public interface Resources {
        /** {@code Ref} of a resource (or of {@code Name.Alias}/{@code Name.Version}); empty if unknown. */
        Optional<String> ref(String logicalId);

        /** {@code Fn::GetAtt}; empty if unknown. */
        Optional<String> getAtt(String logicalId, String attribute);
    }

    private final Parameters parameters;
    private final Map<String, String> pseudo;
    private final Map<String, Object> conditions;
    private final Map<String, Object> mappings;
    private final Resources resources;
    private final Map<String, Boolean> evaluatedConditions = new java.util.concurrent.ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public Intrinsics(Map<String, Object> template, Parameters parameters, Map<String, String> pseudo, Resources resources) {
        this.parameters = parameters;
        this.pseudo = Map.copyOf(pseudo);
        this.conditions = (Map<String, Object>) template.getOrDefault("Conditions", Map.of());
        this.mappings = (Map<String, Object>) template.getOrDefault("Mappings", Map.of());
        this.resources = resources;
    }

    /** Evaluates every intrinsic inside {@code value}; maps and lists are copied, {@code AWS::NoValue} entries dropped. */
    @SuppressWarnings("unchecked")
    public Object resolve(Object value) {
        if (value instanceof Map<?, ?> raw) {
            Map<String, Object> map = (Map<String, Object>) raw;
            if (map.size() == 1) {
                String key = map.keySet().iterator().next();
                if (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::") && !key.startsWith("Fn::ForEach::")) {
                    return function(key, map.get(key));
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object resolved = resolve(v);
                if (resolved != NO_VALUE) {
                    result.put(k, resolved);
                }
            });
            return result;
        }
        if (value instanceof List<?> list) {
            List<Object> result = new ArrayList<>();
            for (Object item : list) {
                Object resolved = resolve(item);
                if (resolved != NO_VALUE) {
                    result.add(resolved);
                }
            }
            return result;
        }
        return value;
    }

    /** Evaluates to a string (numbers and booleans as CloudFormation prints them). */
    public String resolveString(Object value) {
        Object resolved = resolve(value);
        if (resolved instanceof List<?> || resolved instanceof Map<?, ?>) {
            throw new TemplateException("Expected a string, got " + resolved);
        }
        return String.valueOf(resolved);
    }

    /** The value of a named condition from the template's {@code Conditions}. */
    public boolean condition(String name) {
        Boolean known = evaluatedConditions.get(name);
        if (known != null) {
            return known;
        }
        if (!conditions.containsKey(name)) {
            throw new TemplateException("Unknown condition " + name);
        }
        boolean value = bool(resolve(conditions.get(name)));
        evaluatedConditions.put(name, value);
        return value;
    }

    private Object function(String name, Object args) {
        return switch (name) {
            case "Ref" -> ref(resolveString(args));
            case "Condition" -> condition(resolveString(args));
            case "Fn::Sub" -> sub(args);
            case "Fn::Join" -> join(list(name, args, 2));
            case "Fn::Select" -> select(list(name, args, 2));
            case "Fn::Split" -> split(list(name, args, 2));
            case "Fn::If" -> ifThen(list(name, args, 3));
            case "Fn::Equals" -> equalsFn(list(name, args, 2));
            case "Fn::Not" -> !bool(resolve(list(name, args, 1).get(0)));
            case "Fn::And" -> list(name, args, -1).stream().allMatch(c -> bool(resolve(c)));
            case "Fn::Or" -> list(name, args, -1).stream().anyMatch(c -> bool(resolve(c)));
            case "Fn::GetAtt" -> getAtt(args);
            case "Fn::FindInMap" -> findInMap(list(name, args, 3));
            case "Fn::Base64" -> Base64.getEncoder().encodeToString(resolveString(args).getBytes(StandardCharsets.UTF_8));
            case "Fn::Length" -> resolvedList(args).size();
            case "Fn::ToJsonString" -> toJson(resolve(args));
            default -> throw new TemplateException("The local stack does not evaluate " + name);
        };
    }

    private Object ref(String name) {
        if (parameters.has(name)) {
            return parameters.get(name);
        }
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (pseudo.containsKey(name)) {
            return pseudo.get(name);
        }
        return resources.ref(name).orElseThrow(() -> new TemplateException("Cannot resolve Ref " + name + " locally"));
    }

    private Object getAtt(Object args) {
        List<?> parts = args instanceof String text ? List.of(text.split("\\.", 2)) : (List<?>) resolve(args);
        if (parts.size() != 2) {
            throw new TemplateException("Fn::GetAtt needs [Resource, Attribute], was " + args);
        }
        String logicalId = String.valueOf(parts.get(0));
        String attribute = String.valueOf(parts.get(1));
        return resources.getAtt(logicalId, attribute)
                .orElseThrow(() -> new TemplateException("Cannot resolve Fn::GetAtt " + logicalId + "." + attribute + " locally"));
    }

    @SuppressWarnings("unchecked")
    private String sub(Object args) {
        String text;
        Map<String, Object> variables = Map.of();
        if (args instanceof List<?> list) {
            if (list.size() != 2) {
                throw new TemplateException("Fn::Sub takes a string or [string, {variables}]");
            }
            text = String.valueOf(list.get(0));
            variables = (Map<String, Object>) list.get(1);
        } else {
            text = String.valueOf(args);
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String replacement;
            if (variable.startsWith("!")) {
                replacement = "${" + variable.substring(1) + "}";
            } else if (variables.containsKey(variable)) {
                replacement = resolveString(variables.get(variable));
            } else if (variable.contains(".") && !parameters.has(variable) && !pseudo.containsKey(variable)) {
                replacement = String.valueOf(getAtt(variable));
            } else {
                Object value = ref(variable);
                replacement = value instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(value);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String join(List<?> args) {
        String delimiter = resolveString(args.get(0));
        return String.join(delimiter, resolvedList(args.get(1)).stream().map(String::valueOf).toList());
    }

    private Object select(List<?> args) {
        int index = Integer.parseInt(resolveString(args.get(0)));
        List<?> items = resolvedList(args.get(1));
        if (index < 0 || index >= items.size()) {
            throw new TemplateException("Fn::Select index " + index + " is outside " + items);
        }
        return items.get(index);
    }

    private List<String> split(List<?> args) {
        String delimiter = resolveString(args.get(0));
        String source = resolveString(args.get(1));
        return List.of(source.split(Pattern.quote(delimiter), -1));
    }

    private Object ifThen(List<?> args) {
        return condition(String.valueOf(args.get(0))) ? resolve(args.get(1)) : resolve(args.get(2));
    }

    private boolean equalsFn(List<?> args) {
        return String.valueOf(resolve(args.get(0))).equals(String.valueOf(resolve(args.get(1))));
    }

    @SuppressWarnings("unchecked")
    private Object findInMap(List<?> args) {
        String map = resolveString(args.get(0));
        String first = resolveString(args.get(1));
        String second = resolveString(args.get(2));
        Object top = mappings.get(map);
        Object level = top instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(first) : null;
        Object value = level instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(second) : null;
        if (value == null) {
            throw new TemplateException("Fn::FindInMap: no " + map + "." + first + "." + second);
        }
        return resolve(value);
    }

    private List<?> resolvedList(Object value) {
        Object resolved = resolve(value);
        if (!(resolved instanceof List<?> list)) {
            throw new TemplateException("Expected a list, got " + resolved);
        }
        return list;
    }

    private static List<?> list(String function, Object args, int size) {
        if (!(args instanceof List<?> list) || size >= 0 && list.size() != size) {
            throw new TemplateException(function + " takes a list" + (size >= 0 ? " of " + size : "") + ", was " + args);
        }
        return list;
    }

    private static boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(String.valueOf(value)) || "false".equals(String.valueOf(value))) {
            return Boolean.parseBoolean(String.valueOf(value));
        }
        throw new TemplateException("Expected a condition (true/false), got " + value);
    }

    private static String toJson(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new TemplateException("Fn::ToJsonString: " + e.getOriginalMessage());
        }
    }
}
