package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import java.util.Map;

/** {@code GET /health}: the API is up. Depends on nothing, so it answers even when Cognito or DynamoDB do not. */
public final class HealthHandler extends ApiHandler {
    public HealthHandler() {
        this(Cors.fromEnvironment());
    }

    HealthHandler(Cors cors) {
        super(cors);
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(Map.of("status", "ok"));
    }
}
