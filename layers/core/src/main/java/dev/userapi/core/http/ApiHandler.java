package dev.userapi.core.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.userapi.core.log.Invocations;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ApiException;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The frame of every route handler: wraps the proxy event, calls {@link #handle}, turns a domain
 * exception into problem+json (and anything unexpected into a logged 500 without details), and adds
 * the headers every answer carries (CORS, no caching, no sniffing).
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Log LOG = Log.of(ApiHandler.class);

    private final Cors cors;
    private final Invocations invocations = new Invocations();

    protected ApiHandler(Cors cors) {
        this.cors = Objects.requireNonNull(cors, "cors");
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

    private static Object[] append(Object[] fields, String key, Object value) {
        Object[] all = java.util.Arrays.copyOf(fields, fields.length + 2);
        all[fields.length] = key;
        all[fields.length + 1] = value;
        return all;
    }
}
