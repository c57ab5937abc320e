package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AuthService;

/** {@code POST /auth/logout}: 204; the refresh token no longer works. Idempotent. */
public final class LogoutHandler extends ApiHandler {
    private final AuthService auth;

    public LogoutHandler() {
        this(AuthService.fromEnvironment(), Cors.fromEnvironment());
    }

    LogoutHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("refreshToken");
        auth.logout(body.requiredString("refreshToken", 8192));
        return ApiResponse.noContent();
    }
}
