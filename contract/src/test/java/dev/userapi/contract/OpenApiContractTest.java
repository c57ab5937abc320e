package dev.userapi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.problem.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml, template.yaml and the handlers agree: the same (method, path) routes (CORS preflight aside),
 * each documented operation named after the function that serves it, the same public routes, and for each route
 * the body fields, success status and headers its handler really uses. The error model is the one of the code.
 */
class OpenApiContractTest {
    private static final String PROBLEM = "application/problem+json";
    private static OpenApi api;
    private static CfnTemplate template;
    /** "GET /me" -> the template's route, CORS preflight aside. */
    private static Map<String, CfnTemplate.Route> routes;

    @BeforeAll
    static void load() {
        api = OpenApi.load();
        template = CfnTemplate.load();
        routes = new LinkedHashMap<>();
        template.routes().stream().filter(r -> !r.method().equals("OPTIONS")).forEach(r -> routes.put(r.key(), r));
    }

    @Test
    void openApi_isVersion3_andEveryRouteDefaultsToTheBearerScheme() {
        assertThat(Y.str(api.root().get("openapi"))).matches("3\\.[01]\\.\\d+");
        Map<String, Object> scheme = Y.map(Y.get(api.root(), "components", "securitySchemes", "bearerAuth"));
        assertThat(scheme).containsEntry("type", "http").containsEntry("scheme", "bearer");
        assertThat(Y.list(api.root().get("security"))).containsExactly(Map.of("bearerAuth", List.of()));
    }

    @Test
    void everyTemplateRoute_isDocumented() {
        Set<String> documented = api.operations().stream().map(OpenApi.Operation::key).collect(Collectors.toSet());
        assertThat(new TreeSet<>(routes.keySet())).isNotEmpty().allSatisfy(route -> assertThat(documented).as("documented").contains(route));
    }

    @Test
    void everyDocumentedRoute_isInTheTemplate() {
        assertThat(api.operations().stream().map(OpenApi.Operation::key).toList()).isNotEmpty()
                .allSatisfy(key -> assertThat(routes).as("template routes").containsKey(key));
    }

    /** operationId = the serving function's logical ID without "Function" (GetMe -> GetMeFunction -> GetMeHandler). */
    @Test
    void everyOperationId_namesTheFunctionThatServesTheRoute() {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (OpenApi.Operation op : api.operations()) {
            CfnTemplate.Route route = routes.get(op.key());
            if (!ids.add(op.operationId())) {
                problems.add(op.key() + ": operationId " + op.operationId() + " is used twice");
            }
            if (route != null && !(op.operationId() + "Function").equals(route.functionId())) {
                problems.add(op.key() + ": operationId " + op.operationId() + " but served by " + route.functionId());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void publicRoutes_haveNoSecurity_andEveryOtherRouteNeedsTheBearerToken() {
        List<String> problems = new ArrayList<>();
        for (OpenApi.Operation op : api.operations()) {
            CfnTemplate.Route route = routes.get(op.key());
            if (route == null) {
                continue; // reported by everyDocumentedRoute_isInTheTemplate
            }
            List<Object> security = api.security(op);
            if (route.isPublic() && !security.isEmpty()) {
                problems.add(op.key() + " is public in the template but documented with security " + security);
            }
            if (!route.isPublic() && !security.equals(List.of(Map.of("bearerAuth", List.of())))) {
                problems.add(op.key() + " needs the authorizer but is documented with security " + security);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void securedRoutes_document401And403() {
        List<String> problems = new ArrayList<>();
        for (OpenApi.Operation op : api.operations()) {
            if (!api.security(op).isEmpty()) {
                for (String status : List.of("401", "403")) {
                    if (!op.responses().containsKey(status)) {
                        problems.add(op.key() + " documents no " + status);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Throttling and bugs can reach every route; every error is problem+json; 429 says when to retry. */
    @Test
    void everyRoute_documents429And500_andEveryErrorIsProblemJson() {
        List<String> problems = new ArrayList<>();
        for (OpenApi.Operation op : api.operations()) {
            for (String status : List.of("429", "500")) {
                if (!op.responses().containsKey(status)) {
                    problems.add(op.key() + " documents no " + status);
                }
            }
            op.responses().forEach((status, ref) -> {
                Map<String, Object> response = api.resolveMap(ref);
                if (status.startsWith("4") || status.startsWith("5")) {
                    Map<String, Object> content = Y.map(response.get("content"));
                    Object schema = Y.get(content, PROBLEM, "schema");
                    if (!content.keySet().equals(Set.of(PROBLEM)) || !"#/components/schemas/Problem".equals(Y.get(schema, "$ref"))) {
                        problems.add(op.key() + " " + status + " is not application/problem+json with the Problem schema");
                    }
                }
                if (status.equals("429") && !Y.map(response.get("headers")).containsKey("Retry-After")) {
                    problems.add(op.key() + " 429 has no Retry-After header");
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void problemCodeEnum_isTheErrorCodeEnumOfTheCode() {
        Map<String, Object> problem = Y.map(Y.get(api.root(), "components", "schemas", "Problem"));
        assertThat(Y.list(problem.get("required"))).containsExactlyInAnyOrder("type", "title", "status", "detail", "code", "requestId");
        List<Object> documented = Y.list(api.resolveMap(Y.get(problem, "properties", "code")).get("enum"));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(Stream.of(ErrorCode.values()).map(Enum::name).toList());
    }

    /**
     * The documented body has exactly the fields the handler accepts ({@code allowOnly}, or {@code ProfileChanges}),
     * requires those it requires, forbids others ({@code additionalProperties: false}) and has its length limits;
     * a handler that reads no body has none documented. Anything that can be a 400 documents 400.
     */
    @Test
    void requestBodies_acceptExactlyWhatTheHandlersAccept() {
        List<String> problems = new ArrayList<>();
        forEachHandledOperation((op, source) -> {
            Object requestBody = op.op().get("requestBody");
            if (source.bodyFields().isEmpty()) {
                if (requestBody != null) {
                    problems.add(op.key() + ": documents a body but " + source.className() + " accepts none");
                }
            } else if (requestBody == null) {
                problems.add(op.key() + ": documents no body but " + source.className() + " reads " + source.bodyFields());
            } else {
                Map<String, Object> schema = api.resolveMap(Y.get(api.resolveMap(requestBody), "content", "application/json", "schema"));
                Map<String, Object> properties = Y.map(schema.get("properties"));
                if (!properties.keySet().equals(source.bodyFields())) {
                    problems.add(op.key() + ": documented fields " + properties.keySet() + " but the handler accepts " + source.bodyFields());
                }
                if (!new TreeSet<>(Y.list(schema.get("required")).stream().map(Y::str).toList()).equals(new TreeSet<>(source.requiredFields()))) {
                    problems.add(op.key() + ": documented required " + schema.get("required") + " but the handler requires " + source.requiredFields());
                }
                if (!Boolean.FALSE.equals(schema.get("additionalProperties"))) {
                    problems.add(op.key() + ": the body schema must say additionalProperties: false (unknown fields are a 400)");
                }
                source.maxLengths().forEach((field, max) -> {
                    Object documented = api.resolveMap(properties.get(field)).get("maxLength");
                    if (properties.containsKey(field) && (documented == null || Integer.parseInt(Y.str(documented)) != max)) {
                        problems.add(op.key() + ": " + field + " maxLength " + documented + " but the handler allows " + max);
                    }
                });
            }
            boolean mayBe400 = source.readsBody() || source.readsQuery() || source.readsIfMatch();
            if (mayBe400 && !op.responses().containsKey("400")) {
                problems.add(op.key() + ": " + source.className() + " can answer 400 but none is documented");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void successStatuses_areTheOnesTheHandlersReturn() {
        List<String> problems = new ArrayList<>();
        forEachHandledOperation((op, source) -> {
            // success: 2xx, and 302 for the hosted sign-in's redirects
            Set<Integer> documented = op.responses().keySet().stream().filter(s -> s.startsWith("2") || s.equals("302")).map(Integer::valueOf)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (source.successStatuses().isEmpty()) {
                problems.add(op.key() + ": cannot tell " + source.className() + "'s success status from its source");
            } else if (!documented.equals(new TreeSet<>(source.successStatuses()))) {
                problems.add(op.key() + ": documents " + documented + " but " + source.className() + " returns " + source.successStatuses());
            }
        });
        assertThat(problems).isEmpty();
    }

    /** ETag and Location where the handler sets them, If-Match where it reads it, 403 where it requires admin. */
    @Test
    void headers_etagIfMatchLocation_andAdmin403_matchTheHandlers() {
        List<String> problems = new ArrayList<>();
        forEachHandledOperation((op, source) -> {
            Map<String, Object> success = op.responses().entrySet().stream().filter(e -> e.getKey().startsWith("2"))
                    .map(e -> api.resolveMap(e.getValue())).findFirst().orElse(Map.of());
            Set<String> headers = Y.map(success.get("headers")).keySet();
            check(problems, op, "ETag response header", source.setsEtag(), headers.contains("ETag"));
            check(problems, op, "Location response header", source.setsLocation(), headers.contains("Location"));
            boolean ifMatch = op.parameters().stream().map(api::resolveMap)
                    .anyMatch(p -> "header".equals(p.get("in")) && "If-Match".equals(p.get("name")));
            check(problems, op, "If-Match parameter", source.readsIfMatch(), ifMatch);
            check(problems, op, "412 response", source.readsIfMatch(), op.responses().containsKey("412"));
            boolean adminPath = op.path().startsWith("/users") || op.path().startsWith("/webhooks"); // issue 20: /webhooks is admin only
            if (source.requiresAdmin() && !(op.responses().containsKey("403") && adminPath)) {
                problems.add(op.key() + ": " + source.className() + " requires admin: document 403 under /users or /webhooks");
            }
        });
        assertThat(problems).isEmpty();
    }

    private static void check(List<String> problems, OpenApi.Operation op, String what, boolean inHandler, boolean documented) {
        if (inHandler != documented) {
            problems.add(op.key() + ": " + what + (inHandler ? " used by the handler but not documented" : " documented but the handler has none"));
        }
    }

    @Test
    void everyRef_resolves_andEveryPathParameterIsDeclared() {
        List<String> problems = new ArrayList<>();
        SecurityRules.walk(api.root(), "#", (path, key, value) -> {
            if (key.equals("$ref")) {
                try {
                    api.pointer(Y.str(value));
                } catch (IllegalStateException e) {
                    problems.add(path + ": " + e.getMessage());
                }
            }
        });
        Pattern placeholder = Pattern.compile("\\{(\\w+)}");
        for (OpenApi.Operation op : api.operations()) {
            Set<String> declared = op.parameters().stream().map(api::resolveMap).filter(p -> "path".equals(p.get("in")))
                    .map(p -> Y.str(p.get("name"))).collect(Collectors.toSet());
            Set<String> inPath = new LinkedHashSet<>();
            Matcher m = placeholder.matcher(op.path());
            while (m.find()) {
                inPath.add(m.group(1));
            }
            if (!declared.equals(inPath)) {
                problems.add(op.key() + ": path parameters " + inPath + " but declared " + declared);
            }
        }
        assertThat(problems).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------------

    private interface OperationCheck {
        void check(OpenApi.Operation op, HandlerSource source);
    }

    /** Every documented operation that the template routes, with its handler's source. */
    private static void forEachHandledOperation(OperationCheck check) {
        int checked = 0;
        for (OpenApi.Operation op : api.operations()) {
            CfnTemplate.Route route = routes.get(op.key());
            if (route == null) {
                continue; // reported by everyDocumentedRoute_isInTheTemplate
            }
            Map<String, Object> props = Y.map(template.functions().get(route.functionId()).get("Properties"));
            String className = Y.str(props.get("Handler")).split("::")[0];
            check.check(op, HandlerSource.of(Y.str(props.get("CodeUri")), className));
            checked++;
        }
        assertThat(checked).as("operations checked against their handlers").isEqualTo(routes.size());
    }

    /** Issue 20: the webhook's {@code events} are exactly the types the mapper produces, at most all of them. */
    @Test
    void webhookEvents_enumAndMaxItems_followEventTypesAll() {
        Object events = Y.get(api.root(), "components", "schemas", "WebhookRequest", "properties", "events");
        assertThat(Y.list(Y.get(events, "items", "enum")).stream().map(Y::str).toList())
                .containsExactlyElementsOf(dev.userapi.webhooks.events.EventTypes.ALL);
        assertThat(Integer.parseInt(Y.str(Y.get(events, "maxItems")))).isEqualTo(dev.userapi.webhooks.events.EventTypes.ALL.size());
    }
}
