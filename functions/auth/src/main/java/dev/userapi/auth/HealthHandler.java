package dev.userapi.auth;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import java.util.Map;

/** {@code GET /health}: the API is up. Depends on nothing, so it answers even when Cognito or DynamoDB do not. */
public final class HealthHandler extends ApiHandler {
    /** Used by the Lambda runtime: wired from the process environment. */
    public HealthHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public HealthHandler(Map<String, String> env) {
        this(Cors.from(AppConfig.from(env)));
    }

    HealthHandler(Cors cors) {
        super(cors);
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(Map.of("status", "ok"));
    }
}
