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

/** {@code POST /auth/login}: tokens, or the MFA / new-password challenge; 401 alike for an unknown account and a wrong password. */
public final class LoginHandler extends ApiHandler {
    private final AuthService auth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public LoginHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public LoginHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private LoginHandler(Components c) {
        this(AuthService.from(c).withDrift(AccountDrift.forSignIn(c)), c.cors());
    }

    LoginHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email", "password");
        return AuthResponses.of(auth.login(body.requiredEmail("email"), body.requiredPassword("password"),
                new ClientInfo(request.sourceIp(), request.userAgent())));
    }

    /** Priming reaches the sign-in itself: an address no account has (Cognito's call is marshalled, then refused by the priming guard). */
    @Override
    protected String primingBody() {
        return "{\"email\":\"snapstart-priming@example.invalid\",\"password\":\"SnapStart-Priming-1!\"}";
    }
}
