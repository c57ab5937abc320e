package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AuthService;
import dev.userapi.identity.ClientInfo;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code POST /auth/logout}: 204; the refresh token no longer works. Idempotent. */
public final class LogoutHandler extends ApiHandler {
    private final AuthService auth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public LogoutHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public LogoutHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private LogoutHandler(Components c) {
        this(AuthService.from(c), c.cors());
    }

    LogoutHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("refreshToken");
        auth.logout(body.requiredString("refreshToken", 8192), new ClientInfo(request.sourceIp(), request.userAgent()));
        return ApiResponse.noContent();
    }
}
