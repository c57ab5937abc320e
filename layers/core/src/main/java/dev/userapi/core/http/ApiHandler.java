package dev.userapi.core.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ApiException;
import java.util.Objects;

/**
 * The frame of every route handler: wraps the proxy event, calls {@link #handle}, turns a domain
 * exception into problem+json (and anything unexpected into a logged 500 without details), and adds
 * the headers every answer carries (CORS, no caching, no sniffing).
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Log LOG = Log.of(ApiHandler.class);

    private final Cors cors;

    protected ApiHandler(Cors cors) {
        this.cors = Objects.requireNonNull(cors, "cors");
    }

    /** Does the route's work; throws an {@link ApiException} for every answer that is not a success. */
    protected abstract ApiResponse handle(ApiRequest request);

    @Override
    public final APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        long started = System.nanoTime();
        ApiRequest request = new ApiRequest(event);
        ApiResponse response;
        try {
            response = Objects.requireNonNull(handle(request), "handler returned no response");
        } catch (ApiException e) {
            if (e.status() >= 500) {
                LOG.warn("request failed", e.getCause() != null ? e.getCause() : e, "requestId", request.requestId(),
                        "code", e.code().name());
            } else {
                LOG.info("request refused", "requestId", request.requestId(), "code", e.code().name(),
                        "status", e.status());
            }
            response = Problems.from(e, request.requestId());
        } catch (RuntimeException | Error e) {
            LOG.error("unexpected failure", e, "requestId", request.requestId(), "resource", event == null ? null : event.getResource());
            response = Problems.internal(request.requestId());
        }
        var headers = response.headers();
        cors.apply(request.header("Origin"), headers);
        headers.putIfAbsent("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Request-Id", request.requestId());
        LOG.info("request", "requestId", request.requestId(),
                "method", event == null ? null : event.getHttpMethod(),
                "resource", event == null ? null : event.getResource(),
                "status", response.status(),
                "millis", (System.nanoTime() - started) / 1_000_000);
        return response.toEvent();
    }
}
