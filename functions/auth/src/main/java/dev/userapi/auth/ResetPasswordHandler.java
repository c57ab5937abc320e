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

/** {@code POST /auth/reset-password}: sets a new password with the code from forgot-password. */
public final class ResetPasswordHandler extends ApiHandler {
    private final AuthService auth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ResetPasswordHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ResetPasswordHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private ResetPasswordHandler(Components c) {
        this(AuthService.from(c), c.cors());
    }

    ResetPasswordHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email", "code", "newPassword");
        auth.resetPassword(body.requiredEmail("email"), body.requiredCode("code"), body.requiredPassword("newPassword"),
                new ClientInfo(request.sourceIp(), request.userAgent()));
        return ApiResponse.ok(Map.of("status", "PASSWORD_RESET"));
    }
}
