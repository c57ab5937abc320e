package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AuthService;
import java.util.Map;

/** {@code POST /auth/confirm}: confirms an account with the code sent by e-mail. */
public final class ConfirmSignUpHandler extends ApiHandler {
    private final AuthService auth;

    public ConfirmSignUpHandler() {
        this(AuthService.fromEnvironment(), Cors.fromEnvironment());
    }

    ConfirmSignUpHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email", "code");
        auth.confirm(body.requiredEmail("email"), body.requiredCode("code"));
        return ApiResponse.ok(Map.of("status", "CONFIRMED"));
    }
}
