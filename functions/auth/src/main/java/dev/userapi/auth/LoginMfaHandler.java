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

/** {@code POST /auth/login/mfa}: completes a sign-in with the TOTP code. */
public final class LoginMfaHandler extends ApiHandler {
    private final AuthService auth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public LoginMfaHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public LoginMfaHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private LoginMfaHandler(Components c) {
        this(AuthService.from(c).withDrift(AccountDrift.forSignIn(c)), c.cors());
    }

    LoginMfaHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email", "session", "code");
        return AuthResponses.of(auth.answerMfa(body.requiredEmail("email"), body.requiredString("session", 4096),
                body.requiredCode("code"), new ClientInfo(request.sourceIp(), request.userAgent())));
    }
}
