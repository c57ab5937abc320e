package dev.userapi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The template, the handler classes and events/ cannot drift apart: every function's handler exists under the name
 * docs/CONTRIBUTING.md gives it, runs with the layers it links to, has one event in events/ shaped like what invokes it, and
 * every event belongs to a function; every route has a CORS preflight and one function.
 */
class TemplateWiringTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CfnTemplate template;

    @BeforeAll
    static void load() {
        template = CfnTemplate.load();
    }

    @Test
    void everyFunction_hasItsHandlerClassOnTheClasspath() {
        List<String> problems = new ArrayList<>();
        template.functions().forEach((id, fn) -> {
            String handler = Y.str(Y.get(fn, "Properties", "Handler"));
            String[] parts = handler == null ? new String[0] : handler.split("::");
            if (parts.length != 2) {
                problems.add(id + ": Handler " + handler + " is not <class>::<method>");
                return;
            }
            try {
                Class<?> type = Class.forName(parts[0], false, getClass().getClassLoader());
                if (!RequestHandler.class.isAssignableFrom(type) && !RequestStreamHandler.class.isAssignableFrom(type)) {
                    problems.add(id + ": " + parts[0] + " is neither a RequestHandler nor a RequestStreamHandler");
                }
                if (Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
                    problems.add(id + ": " + parts[0] + " is not a public concrete class");
                }
                Constructor<?> noArgs = type.getConstructor();
                if (!Modifier.isPublic(noArgs.getModifiers())) {
                    problems.add(id + ": " + parts[0] + " has no public no-arg constructor for the Lambda runtime");
                }
                if (Stream.of(type.getMethods()).noneMatch(m -> m.getName().equals(parts[1]))) {
                    problems.add(id + ": " + parts[0] + " has no public method " + parts[1]);
                }
            } catch (ClassNotFoundException e) {
                problems.add(id + ": handler class " + parts[0] + " does not exist");
            } catch (NoSuchMethodException e) {
                problems.add(id + ": " + parts[0] + " has no public no-arg constructor for the Lambda runtime");
            }
        });
        assertThat(template.functions()).isNotEmpty();
        assertThat(problems).isEmpty();
    }

    /** docs/CONTRIBUTING.md: GetMeFunction -> dev.userapi.account.GetMeHandler, in the module its CodeUri names. */
    @Test
    void everyFunction_isNamedAfterItsHandler_inTheModuleOfItsCodeUri() {
        List<String> problems = new ArrayList<>();
        template.functions().forEach((id, fn) -> {
            String codeUri = Y.str(Y.get(fn, "Properties", "CodeUri"));
            String module = Path.of(codeUri).getFileName().toString();
            String expected = "dev.userapi." + module + "." + id.replaceFirst("Function$", "Handler") + "::handleRequest";
            if (!id.endsWith("Function") || !expected.equals(Y.get(fn, "Properties", "Handler"))) {
                problems.add(id + ": Handler " + Y.get(fn, "Properties", "Handler") + ", expected " + expected);
            }
            if (!Files.isRegularFile(Repo.path(codeUri).resolve("pom.xml"))) {
                problems.add(id + ": CodeUri " + codeUri + " is not a Maven module");
            }
        });
        assertThat(problems).isEmpty();
    }

    /**
     * A handler that holds core or identity types needs CoreLayer or IdentityLayer at run time (they are
     * {@code provided} at build time, so nothing else would notice before a ClassNotFoundError in AWS).
     */
    /**
     * sam build copies only the CodeUri folder (no parent pom there), so every function and layer must build with
     * the Makefile of its folder (scripts/sam/build-artifact.sh); another BuildMethod fails only in sam build.
     */
    @Test
    void everyFunctionAndLayer_buildsWithTheMakefileOfItsFolder() {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> artifacts = new LinkedHashMap<>(template.functions());
        artifacts.putAll(template.resourcesOfType(CfnTemplate.LAYER));
        artifacts.forEach((id, r) -> {
            Object folder = Y.get(r, "Properties", CfnTemplate.LAYER.equals(r.get("Type")) ? "ContentUri" : "CodeUri");
            if (!"makefile".equals(Y.get(r, "Metadata", "BuildMethod"))) {
                problems.add(id + ": Metadata.BuildMethod is " + Y.get(r, "Metadata", "BuildMethod") + ", not makefile");
            }
            if (!(folder instanceof String f) || !Files.isRegularFile(Repo.path(f).resolve("Makefile"))) {
                problems.add(id + ": no Makefile in " + folder);
            }
        });
        assertThat(artifacts).isNotEmpty();
        assertThat(problems).isEmpty();
    }

    /**
     * A handler that holds core, identity or tokens types, or reaches them through the classes of its own package,
     * needs CoreLayer, IdentityLayer or TokensLayer at run time (they are {@code provided} at build time, so nothing
     * else would notice before a NoClassDefFoundError in AWS; the local stack loads every module at once).
     */
    @Test
    void everyFunction_hasTheLayersItsHandlerUses() throws Exception {
        Map<String, String> layerOfPackage = Map.of("dev.userapi.core", "CoreLayer", "dev.userapi.identity", "IdentityLayer",
                "dev.userapi.tokens", "TokensLayer");
        assertThat(template.resourcesOfType(CfnTemplate.LAYER).keySet()).containsAll(layerOfPackage.values());
        List<String> problems = new ArrayList<>();
        for (var e : template.functions().entrySet()) {
            String className = Y.str(Y.get(e.getValue(), "Properties", "Handler")).split("::")[0];
            Class<?> type;
            try {
                type = Class.forName(className, false, getClass().getClassLoader());
            } catch (ClassNotFoundException missing) {
                continue; // reported by everyFunction_hasItsHandlerClassOnTheClasspath
            }
            Set<String> layers = template.layersOf(e.getKey());
            Set<String> used = new TreeSet<>(classesReachedFrom(type));
            typesUsedBy(type).forEach(t -> used.add(t.getName()));
            for (String name : used) {
                layerOfPackage.forEach((pkg, layer) -> {
                    if (name.startsWith(pkg + ".") && !layers.contains(layer)) {
                        problems.add(e.getKey() + ": " + className + " uses " + name + " but runs without " + layer);
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * The classes a handler's class files name (their constant pools), followed through the classes of its own
     * package (e.g. a composition root like {@code TriggerComponents} that reads a layer's config): what its
     * first invocation loads, which the signatures alone do not show.
     */
    private static Set<String> classesReachedFrom(Class<?> handler) throws IOException {
        String home = handler.getPackageName() + ".";
        Set<String> reached = new TreeSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(handler.getName()));
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("dev/userapi/[a-z]+/[A-Za-z0-9_$/]+");
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (!reached.add(next) || !next.startsWith(home)) {
                continue;
            }
            try (var in = TemplateWiringTest.class.getClassLoader().getResourceAsStream(next.replace('.', '/') + ".class")) {
                if (in == null) {
                    continue;
                }
                var matcher = name.matcher(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
                while (matcher.find()) {
                    todo.push(matcher.group().replace('/', '.'));
                }
            }
        }
        return reached;
    }

    private static Set<Class<?>> typesUsedBy(Class<?> type) {
        Set<Class<?>> used = new HashSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            used.add(c);
            used.addAll(List.of(c.getInterfaces()));
            for (Field f : c.getDeclaredFields()) {
                used.add(f.getType());
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                used.addAll(List.of(k.getParameterTypes()));
            }
            for (Method m : c.getDeclaredMethods()) {
                used.add(m.getReturnType());
                used.addAll(List.of(m.getParameterTypes()));
            }
        }
        return used;
    }

    @Test
    void everyFunction_hasAnEventFile_andEveryEventFileBelongsToAFunction() throws IOException {
        Set<String> expected = template.functions().keySet().stream().map(TemplateWiringTest::eventFile)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> present;
        try (Stream<Path> files = Files.list(Repo.path("events"))) {
            present = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> orphans = new TreeSet<>(present);
        orphans.removeAll(expected);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(present);
        assertThat(orphans).as("files in events/ that belong to no function").isEmpty();
        assertThat(missing).as("events/ files missing for functions of the template").isEmpty();
    }

    /** The event is what really invokes the function: its API route, its Cognito trigger, or the TOKEN authorizer. */
    @Test
    void everyEvent_isShapedLikeWhatInvokesItsFunction() throws IOException {
        Map<String, String> triggers = cognitoTriggers();
        Set<String> authorizers = tokenAuthorizerFunctions();
        Map<String, Set<String>> routesByFunction = new LinkedHashMap<>();
        template.routes().forEach(r -> routesByFunction.computeIfAbsent(r.functionId(), k -> new TreeSet<>()).add(r.key()));
        List<String> problems = new ArrayList<>();
        for (String id : template.functions().keySet()) {
            Path file = Repo.path("events").resolve(eventFile(id));
            if (!Files.isRegularFile(file)) {
                continue; // reported by everyFunction_hasAnEventFile_andEveryEventFileBelongsToAFunction
            }
            JsonNode event = JSON.readTree(file.toFile());
            if (routesByFunction.containsKey(id)) {
                String key = event.path("httpMethod").asText() + " " + event.path("resource").asText();
                if (!routesByFunction.get(id).contains(key)) {
                    problems.add(eventFile(id) + ": " + key + " is not a route of " + id + " " + routesByFunction.get(id));
                }
            } else if (triggers.containsKey(id)) {
                if (!event.path("triggerSource").asText().startsWith(triggers.get(id))) {
                    problems.add(eventFile(id) + ": triggerSource " + event.path("triggerSource") + " is not a " + triggers.get(id) + "* trigger");
                }
            } else if (authorizers.contains(id)) {
                if (!event.path("type").asText().equals("TOKEN") || !event.path("authorizationToken").isTextual()
                        || !event.path("methodArn").isTextual()) {
                    problems.add(eventFile(id) + ": not a TOKEN authorizer event (type, authorizationToken, methodArn)");
                }
            } else if (!eventSourceTypes(id).isEmpty()) {
                // issue 20: a stream or queue event source mapping invokes it with Lambda's Records event
                String source = event.path("Records").path(0).path("eventSource").asText();
                String expected = eventSourceTypes(id).contains("DynamoDB") ? "aws:dynamodb" : "aws:sqs";
                if (!source.equals(expected)) {
                    problems.add(eventFile(id) + ": Records[0].eventSource " + source + " is not " + expected);
                }
            } else {
                problems.add(id + ": nothing invokes it (no route, no Cognito trigger, no authorizer, no event source)");
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The types of a function's non-API event sources ({@code DynamoDB}, {@code SQS}). */
    private static Set<String> eventSourceTypes(String functionId) {
        Set<String> types = new TreeSet<>();
        Y.map(Y.get(template.functions().get(functionId), "Properties", "Events")).values().forEach(e -> {
            String type = Y.str(Y.get(e, "Type"));
            if ("DynamoDB".equals(type) || "SQS".equals(type)) {
                types.add(type);
            }
        });
        return types;
    }

    @Test
    void everyRoute_isServedByOneFunction() {
        Map<String, List<String>> byRoute = new LinkedHashMap<>();
        template.routes().forEach(r -> byRoute.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.functionId()));
        assertThat(byRoute.entrySet().stream().filter(e -> e.getValue().size() > 1).toList()).isEmpty();
    }

    /** docs/openapi.yaml: browsers can call every route, so every path has an OPTIONS preflight, and no preflight is orphaned. */
    @Test
    void everyPath_hasACorsPreflight_andEveryPreflightHasRoutes() {
        Set<String> paths = new TreeSet<>();
        Set<String> preflights = new TreeSet<>();
        for (CfnTemplate.Route r : template.routes()) {
            (r.method().equals("OPTIONS") ? preflights : paths).add(r.path());
        }
        assertThat(paths).isNotEmpty();
        assertThat(preflights).isEqualTo(paths);
    }

    // ------------------------------------------------------------------------------------------------------------

    /** events/<kebab-case of the logical ID without Function>.json, e.g. AdminCreateUserFunction -> admin-create-user.json */
    static String eventFile(String functionId) {
        return functionId.replaceFirst("Function$", "").replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT) + ".json";
    }

    /** Function ID -> triggerSource prefix, from the user pool's LambdaConfig. */
    private static Map<String, String> cognitoTriggers() {
        Map<String, String> triggers = new LinkedHashMap<>();
        template.resourcesOfType(SecurityRules.POOL).forEach((id, pool) -> {
            Map<String, Object> config = Y.map(Y.get(pool, "Properties", "LambdaConfig"));
            config.forEach((name, value) -> {
                Object arn = value instanceof Map<?, ?> m && m.containsKey("LambdaArn") ? m.get("LambdaArn") : value;
                String fn = functionOf(arn);
                String prefix = switch (name) {
                    case "PreTokenGeneration", "PreTokenGenerationConfig" -> "TokenGeneration_";
                    default -> name + "_";
                };
                if (fn != null) {
                    triggers.put(fn, prefix);
                }
            });
        });
        return triggers;
    }

    private static Set<String> tokenAuthorizerFunctions() {
        Set<String> functions = new HashSet<>();
        template.resourcesOfType(CfnTemplate.API).forEach((id, api) ->
                Y.map(Y.get(api, "Properties", "Auth", "Authorizers")).forEach((name, authorizer) -> {
                    if ("TOKEN".equals(Y.get(authorizer, "FunctionPayloadType"))) {
                        functions.add(functionOf(Y.get(authorizer, "FunctionArn")));
                    }
                }));
        return functions;
    }

    /** The function behind {@code !Ref F.Alias}, {@code !Ref F} or {@code !GetAtt F.Arn}. */
    private static String functionOf(Object arn) {
        String ref = Y.ref(arn);
        String id = ref != null ? ref.replaceFirst("\\.Alias$", "") : Y.getAtt(arn, "Arn");
        return id != null && template.functions().containsKey(id) ? id : null;
    }

    /**
     * Issue 20: a batch of delivery messages fits in the delivery function's timeout (each message bounded by
     * DeliverWebhooksHandler.MESSAGE_BOUND, its send and DNS lookup by Deliverer.SEND_BOUND), and a taken attempt's
     * lease outlasts the function (no live attempt made twice) but not the queue's visibility timeout (the message
     * that comes back after a crash or timeout finds the lease passed and makes the attempt).
     */
    @Test
    void deliveryFunction_batchFitsItsTimeout_andTheAttemptLeaseLiesBetweenTimeoutAndVisibilityTimeout() {
        Map<String, Object> fn = template.functions().get("DeliverWebhooksFunction");
        long timeout = Long.parseLong(Y.str(Y.get(fn, "Properties", "Timeout")));
        Object source = Y.map(Y.get(fn, "Properties", "Events")).values().iterator().next();
        long batch = Long.parseLong(Y.str(Y.get(source, "Properties", "BatchSize")));
        String queue = Y.getAtt(Y.get(source, "Properties", "Queue"), "Arn");
        long visibility = Long.parseLong(Y.str(Y.get(template.properties(queue), "VisibilityTimeout")));
        assertThat(dev.userapi.webhooks.delivery.Deliverer.SEND_BOUND)
                .isLessThan(dev.userapi.webhooks.DeliverWebhooksHandler.MESSAGE_BOUND);
        assertThat(batch * dev.userapi.webhooks.DeliverWebhooksHandler.MESSAGE_BOUND.toSeconds()).as("BatchSize x MESSAGE_BOUND")
                .isLessThanOrEqualTo(timeout);
        assertThat(dev.userapi.webhooks.delivery.Deliverer.LEASE.toSeconds()).as("lease").isGreaterThan(timeout).isLessThan(visibility);
    }
}
