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

/** {@code POST /auth/login/new-password}: completes the first sign-in of an account an administrator created, setting its own password. */
public final class LoginNewPasswordHandler extends ApiHandler {
    private final AuthService auth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public LoginNewPasswordHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public LoginNewPasswordHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private LoginNewPasswordHandler(Components c) {
        this(AuthService.from(c), c.cors());
    }

    LoginNewPasswordHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email", "session", "newPassword");
        return AuthResponses.of(auth.answerNewPassword(body.requiredEmail("email"), body.requiredString("session", 4096),
                body.requiredPassword("newPassword"), new ClientInfo(request.sourceIp(), request.userAgent())));
    }
}
