package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AccountDrift;
import dev.userapi.identity.AuthService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code POST /auth/refresh}: new access and ID tokens for a live session; 401 once it has ended. */
public final class RefreshHandler extends ApiHandler {
    private final AuthService auth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public RefreshHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public RefreshHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private RefreshHandler(Components c) {
        this(AuthService.from(c).withDrift(AccountDrift.forSignIn(c)), c.cors());
    }

    RefreshHandler(AuthService auth, Cors cors) {
        super(cors);
        this.auth = auth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("refreshToken");
        return AuthResponses.tokens(auth.refresh(body.requiredString("refreshToken", 8192)));
    }
}
