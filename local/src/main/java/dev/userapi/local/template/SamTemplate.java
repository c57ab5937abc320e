package dev.userapi.local.template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code template.yaml} as the local stack reads it: loops expanded, conditions applied, parameters
 * set, and SAM's {@code Globals} merged into each function. Values are evaluated on demand, because
 * some of them (the pool ID, the table name) exist only once the local services have created them.
 * The template stays the single description of the system: the local stack invents no routes,
 * variables or resource settings of its own.
 */
public final class SamTemplate {
    public static final String FUNCTION = "AWS::Serverless::Function";
    public static final String API = "AWS::Serverless::Api";

    /** What the local runtime uses of a function; the rest (policies, tracing, SnapStart...) is AWS's business. */
    private static final java.util.Set<String> FUNCTION_PROPERTIES =
            java.util.Set.of("Handler", "CodeUri", "Runtime", "Timeout", "MemorySize", "Environment", "Events");

    private final Parameters parameters;
    private final Intrinsics intrinsics;
    private final Map<String, Map<String, Object>> resources;
    private final Map<String, Object> functionGlobals;

    @SuppressWarnings("unchecked")
    private SamTemplate(Map<String, Object> raw, Parameters parameters, Intrinsics intrinsics) {
        this.parameters = parameters;
        this.intrinsics = intrinsics;
        Map<String, Object> globals = (Map<String, Object>) raw.getOrDefault("Globals", Map.of());
        this.functionGlobals = (Map<String, Object>) globals.getOrDefault("Function", Map.of());
        Map<String, Map<String, Object>> present = new LinkedHashMap<>();
        ((Map<String, Object>) raw.getOrDefault("Resources", Map.of())).forEach((id, resource) -> {
            Map<String, Object> definition = (Map<String, Object>) resource;
            Object condition = definition.get("Condition");
            if (condition == null || intrinsics.condition(String.valueOf(condition))) {
                present.put(id, definition);
            }
        });
        this.resources = present;
    }

    /**
     * Reads and prepares a template.
     *
     * @param overrides  {@code --parameter-overrides}
     * @param pseudo     the pseudo parameters ({@code AWS::Region}, {@code AWS::StackName}...)
     * @param physical   names of the resources the local services created
     */
    public static SamTemplate load(Path file, Map<String, String> overrides, Map<String, String> pseudo, Intrinsics.Resources physical) {
        return of(TemplateLoader.load(file), overrides, pseudo, physical);
    }

    @SuppressWarnings("unchecked")
    public static SamTemplate of(Map<String, Object> raw, Map<String, String> overrides, Map<String, String> pseudo,
                                 Intrinsics.Resources physical) {
        Parameters parameters = Parameters.of(raw, overrides);
        Intrinsics intrinsics = new Intrinsics(raw, parameters, pseudo, physical);
        Map<String, Object> expanded = (Map<String, Object>) new ForEach(intrinsics::resolve).expand(raw);
        return new SamTemplate(expanded, parameters, new Intrinsics(expanded, parameters, pseudo, physical));
    }

    public Parameters parameters() {
        return parameters;
    }

    public Intrinsics intrinsics() {
        return intrinsics;
    }

    public boolean hasResource(String logicalId) {
        return resources.containsKey(logicalId);
    }

    public Optional<String> typeOf(String logicalId) {
        return Optional.ofNullable(resources.get(logicalId)).map(r -> String.valueOf(r.get("Type")));
    }

    public List<String> logicalIdsOfType(String type) {
        return resources.entrySet().stream().filter(e -> type.equals(e.getValue().get("Type"))).map(Map.Entry::getKey).toList();
    }

    /** The single resource of a type (the users table, the user pool...). */
    public String onlyOfType(String type) {
        List<String> ids = logicalIdsOfType(type);
        if (ids.size() != 1) {
            throw new TemplateException("The local stack expects exactly one " + type + ", found " + ids);
        }
        return ids.get(0);
    }

    /** A resource's properties with every intrinsic evaluated. */
    public Map<String, Object> properties(String logicalId) {
        return properties(logicalId, null);
    }

    /**
     * Some of a resource's properties, evaluated; the others are left alone (a function's IAM
     * policies, say, name resources the local stack has no use for).
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> properties(String logicalId, java.util.Set<String> only) {
        Map<String, Object> resource = resources.get(logicalId);
        if (resource == null) {
            throw new TemplateException("No resource " + logicalId);
        }
        Object properties = resource.getOrDefault("Properties", Map.of());
        if (typeOf(logicalId).filter(FUNCTION::equals).isPresent()) {
            properties = merge(functionGlobals, properties);
        }
        Map<String, Object> selected = new LinkedHashMap<>((Map<String, Object>) properties);
        if (only != null) {
            selected.keySet().retainAll(only);
        }
        return (Map<String, Object>) intrinsics.resolve(selected);
    }

    /** Every function, with Globals merged and its environment evaluated. */
    public List<FunctionDefinition> functions() {
        Optional<String> defaultAuthorizer = restApiResource().flatMap(this::defaultAuthorizer);
        List<FunctionDefinition> functions = new ArrayList<>();
        for (String id : logicalIdsOfType(FUNCTION)) {
            functions.add(function(id, defaultAuthorizer));
        }
        return functions;
    }

    @SuppressWarnings("unchecked")
    private FunctionDefinition function(String id, Optional<String> defaultAuthorizer) {
        Map<String, Object> properties = properties(id, FUNCTION_PROPERTIES);
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, Object> env = (Map<String, Object>) properties.getOrDefault("Environment", Map.of());
        ((Map<String, Object>) env.getOrDefault("Variables", Map.of())).forEach((k, v) -> environment.put(k, scalar(v)));
        List<ApiEvent> events = new ArrayList<>();
        ((Map<String, Object>) properties.getOrDefault("Events", Map.of())).forEach((name, raw) -> {
            Map<String, Object> event = (Map<String, Object>) raw;
            if (!"Api".equals(event.get("Type"))) {
                return;
            }
            Map<String, Object> p = (Map<String, Object>) event.getOrDefault("Properties", Map.of());
            Map<String, Object> auth = (Map<String, Object>) p.getOrDefault("Auth", Map.of());
            Optional<String> authorizer = auth.containsKey("Authorizer")
                    ? Optional.of(scalar(auth.get("Authorizer"))).filter(a -> !a.equals("NONE"))
                    : defaultAuthorizer;
            events.add(new ApiEvent(name, scalar(p.get("Method")).toUpperCase(java.util.Locale.ROOT), scalar(p.get("Path")), authorizer));
        });
        Object handler = properties.get("Handler");
        if (handler == null) {
            throw new TemplateException(id + " has no Handler");
        }
        return new FunctionDefinition(id, scalar(handler), scalar(properties.getOrDefault("CodeUri", "")),
                scalar(properties.getOrDefault("Runtime", "java21")),
                Integer.parseInt(scalar(properties.getOrDefault("Timeout", 3))),
                Integer.parseInt(scalar(properties.getOrDefault("MemorySize", 128))),
                environment, events);
    }

    /** A function's handler class, without evaluating the rest of the function. */
    public String handlerClassOf(String functionId) {
        String handler = scalar(properties(functionId, java.util.Set.of("Handler")).get("Handler"));
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }

    /** The REST API: stage, TOKEN authorizers and gateway responses. */
    @SuppressWarnings("unchecked")
    public Optional<RestApiDefinition> restApi() {
        return restApiResource().map(id -> {
            Map<String, Object> properties = properties(id, java.util.Set.of("StageName", "Auth", "GatewayResponses", "MethodSettings"));
            Map<String, Object> auth = (Map<String, Object>) properties.getOrDefault("Auth", Map.of());
            Map<String, TokenAuthorizerDefinition> authorizers = new LinkedHashMap<>();
            ((Map<String, Object>) auth.getOrDefault("Authorizers", Map.of())).forEach((name, raw) -> {
                Map<String, Object> a = (Map<String, Object>) raw;
                if (!a.containsKey("FunctionArn")) {
                    throw new TemplateException("Authorizer " + name + ": the local stack runs Lambda authorizers only");
                }
                String payload = scalar(a.getOrDefault("FunctionPayloadType", "TOKEN"));
                if (!payload.equals("TOKEN")) {
                    throw new TemplateException("Authorizer " + name + ": the local stack runs TOKEN authorizers only, not " + payload);
                }
                Map<String, Object> identity = (Map<String, Object>) a.getOrDefault("Identity", Map.of());
                authorizers.put(name, new TokenAuthorizerDefinition(name, functionId(scalar(a.get("FunctionArn"))),
                        scalar(identity.getOrDefault("Header", "Authorization")),
                        Optional.ofNullable(identity.get("ValidationExpression")).map(v -> Pattern.compile(scalar(v))),
                        Integer.parseInt(scalar(identity.getOrDefault("ReauthorizeEvery", 300)))));
            });
            Map<String, GatewayResponseDefinition> responses = new LinkedHashMap<>();
            ((Map<String, Object>) properties.getOrDefault("GatewayResponses", Map.of())).forEach((type, raw) -> {
                Map<String, Object> r = (Map<String, Object>) raw;
                Map<String, Object> parameters = (Map<String, Object>) r.getOrDefault("ResponseParameters", Map.of());
                Map<String, String> headers = new LinkedHashMap<>();
                ((Map<String, Object>) parameters.getOrDefault("Headers", Map.of())).forEach((k, v) -> headers.put(k, scalar(v)));
                Map<String, String> templates = new LinkedHashMap<>();
                ((Map<String, Object>) r.getOrDefault("ResponseTemplates", Map.of())).forEach((k, v) -> templates.put(k, scalar(v)));
                responses.put(type, new GatewayResponseDefinition(
                        Optional.ofNullable(r.get("StatusCode")).map(s -> Integer.parseInt(scalar(s))), headers, templates));
            });
            List<MethodThrottling> throttling = new ArrayList<>();
            for (Object raw : (List<Object>) properties.getOrDefault("MethodSettings", List.of())) {
                Map<String, Object> setting = (Map<String, Object>) raw;
                if (setting.containsKey("ThrottlingRateLimit") || setting.containsKey("ThrottlingBurstLimit")) {
                    throttling.add(new MethodThrottling(scalar(setting.getOrDefault("ResourcePath", "/*")),
                            scalar(setting.getOrDefault("HttpMethod", "*")),
                            Double.parseDouble(scalar(setting.getOrDefault("ThrottlingRateLimit", 10000))),
                            Integer.parseInt(scalar(setting.getOrDefault("ThrottlingBurstLimit", 5000)))));
                }
            }
            return new RestApiDefinition(id, scalar(properties.getOrDefault("StageName", "Prod")), authorizers, responses, throttling);
        });
    }

    private Optional<String> restApiResource() {
        List<String> apis = logicalIdsOfType(API);
        if (apis.size() > 1) {
            throw new TemplateException("The local stack serves one AWS::Serverless::Api, found " + apis);
        }
        return apis.stream().findFirst();
    }

    @SuppressWarnings("unchecked")
    private Optional<String> defaultAuthorizer(String apiId) {
        Map<String, Object> resource = resources.get(apiId);
        Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
        Map<String, Object> auth = (Map<String, Object>) properties.getOrDefault("Auth", Map.of());
        return Optional.ofNullable(auth.get("DefaultAuthorizer")).map(SamTemplate::scalar).filter(a -> !a.equals("NONE"));
    }

    /**
     * The logical ID behind a function reference: locally {@code Ref} of a function (or of its
     * alias) evaluates to the logical ID, and an ARN ends with the function's name.
     */
    public static String functionId(String reference) {
        String name = reference;
        if (name.startsWith("arn:")) {
            String[] parts = name.split(":");
            name = parts.length >= 7 ? parts[6] : parts[parts.length - 1];
        }
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** SAM's Globals rule: maps merge, lists append (globals first), scalars are replaced by the function's. */
    @SuppressWarnings("unchecked")
    static Object merge(Object global, Object local) {
        if (global instanceof Map<?, ?> g && local instanceof Map<?, ?> l) {
            Map<String, Object> result = new LinkedHashMap<>((Map<String, Object>) g);
            ((Map<String, Object>) l).forEach((k, v) -> result.merge(k, v, SamTemplate::merge));
            return result;
        }
        if (global instanceof List<?> g && local instanceof List<?> l) {
            List<Object> result = new ArrayList<>(g);
            result.addAll(l);
            return result;
        }
        return local;
    }

    static String scalar(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            throw new TemplateException("Expected a single value, got " + value);
        }
        return String.valueOf(value);
    }
}
