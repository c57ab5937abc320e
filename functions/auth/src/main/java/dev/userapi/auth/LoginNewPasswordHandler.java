package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AuthService;
import dev.userapi.identity.ClientInfo;

/** {@code POST /auth/login/new-password}: completes the first sign-in of an account an administrator created, setting its own password. */
public final class LoginNewPasswordHandler extends ApiHandler {
    private final AuthService auth;

    public LoginNewPasswordHandler() {
        this(AuthService.fromEnvironment(), Cors.fromEnvironment());
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
