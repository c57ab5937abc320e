package dev.userapi.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.Cors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code OPTIONS} on every path: the CORS preflight. Never needs a token. Only an allowed origin is
 * echoed back, so the browser lets only the configured origins make the real request.
 */
public final class CorsPreflightHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final Cors cors;

    /** Used by the Lambda runtime: wired from the process environment. */
    public CorsPreflightHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public CorsPreflightHandler(Map<String, String> env) {
        this(Cors.from(AppConfig.from(env)));
    }

    CorsPreflightHandler(Cors cors) {
        this.cors = cors;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        ApiRequest request = new ApiRequest(event);
        Map<String, String> headers = new LinkedHashMap<>();
        cors.applyPreflight(request.header("Origin"), headers);
        headers.put("Content-Length", "0");
        return new APIGatewayProxyResponseEvent().withStatusCode(204).withHeaders(headers).withBody("");
    }
}
