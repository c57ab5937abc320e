package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AccountDrift;
import dev.userapi.identity.AuthService;
import dev.userapi.identity.ClientInfo;
import dev.userapi.identity.Components;
import java.util.Map;

/**
 * {@code POST /auth/confirm}: confirms an account with the code sent by e-mail and sets the password
 * given with it; answers as a login does. Every refusal is the same 400 {@code CodeMismatch}.
 */
public final class ConfirmSignUpHandler extends ApiHandler {
    private final AuthService auth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ConfirmSignUpHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ConfirmSignUpHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private ConfirmSignUpHandler(Components c) {
        this(AuthService.from(c).withDrift(AccountDrift.forSignIn(c)), c.cors());
    }

    ConfirmSignUpHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email", "code", "password");
        return AuthResponses.of(auth.confirm(body.requiredEmail("email"), body.requiredCode("code"),
                body.requiredPassword("password"), new ClientInfo(request.sourceIp(), request.userAgent())));
    }
}
