package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AuthService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code POST /auth/forgot-password}: 202 whether or not the account exists (uniform). */
public final class ForgotPasswordHandler extends ApiHandler {
    private final AuthService auth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ForgotPasswordHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ForgotPasswordHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private ForgotPasswordHandler(Components c) {
        this(AuthService.from(c), c.cors());
    }

    ForgotPasswordHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email");
        auth.forgotPassword(body.requiredEmail("email"));
        return ApiResponse.accepted(Map.of("status", "CODE_SENT_IF_ACCOUNT_EXISTS"));
    }
}
