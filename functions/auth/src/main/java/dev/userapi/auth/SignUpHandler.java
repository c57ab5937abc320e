package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AuthService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code POST /auth/sign-up}: 202 whether or not the e-mail is taken (uniform). */
public final class SignUpHandler extends ApiHandler {
    private final AuthService auth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public SignUpHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public SignUpHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private SignUpHandler(Components c) {
        this(AuthService.from(c), c.cors());
    }

    SignUpHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email", "password", "name");
        auth.signUp(body.requiredEmail("email"), body.requiredPassword("password"), body.optionalString("name", 128));
        return ApiResponse.accepted(Map.of("status", "CONFIRMATION_PENDING"));
    }
}
