package dev.userapi.core.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.userapi.core.json.Json;
import dev.userapi.core.log.Invocations;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.snapstart.Priming;
import dev.userapi.core.snapstart.RuntimeEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The frame of every route handler: wraps the proxy event, calls {@link #handle}, turns a domain
 * exception into problem+json (and anything unexpected into a logged 500 without details), and adds
 * the headers every answer carries (CORS, no caching, no sniffing).
 *
 * <p>It is also every route function's SnapStart priming ({@link #beforeCheckpoint}, registered with CRaC when the
 * handler is built): one whole invocation on a synthetic request, before the snapshot. See {@link #prime()}.
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, Resource {
    private static final Log LOG = Log.of(ApiHandler.class);
    /** The caller, request id and path parameters of the priming request: no account, item or resource has this id. */
    public static final String PRIMING_ID = "snapstart-priming";
    /** Every path parameter name a route uses ({@code /users/{id}}, {@code /orgs/{orgId}/members/{userId}}, ...). */
    private static final List<String> PATH_PARAMETERS = List.of("id", "orgId", "userId", "deliveryId");

    private final Cors cors;
    private final Invocations invocations = new Invocations();

    protected ApiHandler(Cors cors) {
        this.cors = Objects.requireNonNull(cors, "cors");
        Core.getGlobalContext().register(this);
    }

    /** Does the route's work; throws an {@link ApiException} for every answer that is not a success. */
    protected abstract ApiResponse handle(ApiRequest request);

    /**
     * Serves one invocation inside its log scope (request id, function name, cold start on every line) and writes
     * exactly one line about it: {@code request} (info) for an answer below 500; {@code request failed} (warn) for a
     * domain 5xx, with the cause's type (an SDK failure's message and operation were logged once where it was
     * translated, by {@code DynamoErrors} or {@code CognitoErrors}) or, for a cause nobody translated, the cause;
     * {@code unexpected failure} (error, with the stack) for anything else.
     */
    @Override
    public final APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        try (Log.Scope scope = invocations.enter(context)) {
            return serve(event);
        }
    }

    private APIGatewayProxyResponseEvent serve(APIGatewayProxyRequestEvent event) {
        long started = System.nanoTime();
        ApiRequest request = new ApiRequest(event);
        ApiResponse response;
        ApiException refused = null;
        Throwable unexpected = null;
        try {
            response = Objects.requireNonNull(handle(request), "handler returned no response");
        } catch (ApiException e) {
            refused = e;
            response = Problems.from(e, request.requestId());
        } catch (RuntimeException | Error e) {
            unexpected = e;
            response = Problems.internal(request.requestId());
        }
        var headers = response.headers();
        cors.apply(request.header("Origin"), headers);
        headers.putIfAbsent("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Request-Id", request.requestId());
        Object[] fields = {"requestId", request.requestId(),
                "method", event == null ? null : event.getHttpMethod(),
                "resource", event == null ? null : event.getResource(),
                "status", response.status(),
                "millis", (System.nanoTime() - started) / 1_000_000,
                "code", refused != null ? refused.code().name() : unexpected != null ? "InternalError" : null};
        if (unexpected != null) {
            LOG.error("unexpected failure", unexpected, fields);
        } else if (refused != null && refused.status() >= 500) {
            Throwable cause = refused.getCause();
            if (cause == null || cause instanceof SdkException) {
                LOG.warn("request failed", append(fields, "causeType", cause == null ? null : cause.getClass().getName()));
            } else {
                LOG.warn("request failed", cause, fields);
            }
        } else {
            LOG.info("request", fields);
        }
        return response.toEvent();
    }

    /**
     * SnapStart priming, before the snapshot: runs this route's whole request path once on a synthetic request, so the
     * snapshot holds loaded and compiled code for all of it: the runtime's reading of the API Gateway event and writing
     * of the answer ({@link RuntimeEvents}), this frame, the handler and its service, the JSON of bodies and answers,
     * and the SDK's marshalling of the operations the route makes. The request is a signed-in caller that does not
     * exist ({@value #PRIMING_ID}, role {@code user}, an invalid bearer token, every path parameter {@value #PRIMING_ID})
     * with the route's {@link #primingBody()}, so reads find nothing and Cognito refuses the token; and it runs under
     * {@link Priming#run}, whose guard refuses every SDK operation that is not a read before it is sent, so priming never
     * writes, mails or changes anything, whatever the route would do. Whatever it answers (404, 401, 400, a refused
     * write's 503) is fine; nothing is thrown.
     */
    public final void prime() {
        Priming.run(getClass().getSimpleName(), () -> {
            APIGatewayProxyRequestEvent event = RuntimeEvents.fromJson(APIGatewayProxyRequestEvent.class, primingEvent(primingBody()));
            APIGatewayProxyResponseEvent response = handleRequest(event, null);
            RuntimeEvents.toJson(APIGatewayProxyResponseEvent.class, response);
        });
    }

    /**
     * The body of the priming request: none by default; a route whose work starts only after its body is read returns
     * a valid one naming nothing that exists (for example {@code PATCH /me}'s change of name), so priming reaches that work.
     */
    protected String primingBody() {
        return null;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: SDK clients reconnect on their own and credentials are resolved per call
    }

    /** The API Gateway proxy event of the priming request, as JSON (what the runtime would receive). */
    static String primingEvent(String body) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + PRIMING_ID);
        headers.put("Content-Type", "application/json");
        headers.put("Origin", "https://" + PRIMING_ID + ".invalid");
        headers.put("User-Agent", PRIMING_ID);
        Map<String, Object> multi = new LinkedHashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        Map<String, Object> path = new LinkedHashMap<>();
        PATH_PARAMETERS.forEach(p -> path.put(p, PRIMING_ID));
        Map<String, Object> authorizer = new LinkedHashMap<>();
        authorizer.put("principalId", PRIMING_ID);
        authorizer.put("sub", PRIMING_ID);
        authorizer.put("username", PRIMING_ID);
        authorizer.put("roles", "user");
        authorizer.put("authTime", "0");
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("requestId", PRIMING_ID);
        context.put("stage", "priming");
        context.put("resourcePath", "/" + PRIMING_ID);
        context.put("httpMethod", "GET");
        context.put("identity", Map.of("sourceIp", "192.0.2.1", "userAgent", PRIMING_ID));
        context.put("authorizer", authorizer);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", "/" + PRIMING_ID);
        event.put("path", "/" + PRIMING_ID);
        event.put("httpMethod", "GET");
        event.put("headers", headers);
        event.put("multiValueHeaders", multi);
        event.put("pathParameters", path);
        event.put("requestContext", context);
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return Json.write(event);
    }

    private static Object[] append(Object[] fields, String key, Object value) {
        Object[] all = java.util.Arrays.copyOf(fields, fields.length + 2);
        all[fields.length] = key;
        all[fields.length + 1] = value;
        return all;
    }
}
