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
 * {@code POST /auth/reauthenticate} (bearer token): the caller's password, and TOTP code when TOTP is
 * on, renew the sign-in ("sudo mode"): fresh tokens for the same account with a new {@code auth_time};
 * the old session ends when its refresh token is given. 403 {@code InvalidCredentials} when wrong.
 */
public final class ReauthenticateHandler extends ApiHandler {
    private final AuthService auth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ReauthenticateHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ReauthenticateHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private ReauthenticateHandler(Components c) {
        this(AuthService.from(c).withDrift(AccountDrift.forSignIn(c)), c.cors());
    }

    ReauthenticateHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("password", "code");
        return AuthResponses.tokens(auth.reauthenticate(request.caller(), request.bearerToken(), body.requiredPassword("password"),
                body.optionalCode("code"), new ClientInfo(request.sourceIp(), request.userAgent())));
    }
}
