package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AuthService;

/** {@code POST /auth/refresh}: new access and ID tokens for a live session; 401 once it has ended. */
public final class RefreshHandler extends ApiHandler {
    private final AuthService auth;

    public RefreshHandler() {
        this(AuthService.fromEnvironment(), Cors.fromEnvironment());
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
