package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.ClientInfo;
import dev.userapi.identity.Components;
import java.util.Map;

/**
 * {@code DELETE /me/sessions/{id}}: 204; that session's refresh token and access tokens are refused at once. Another
 * user's session id and an unknown one are the same 404.
 */
public final class RevokeSessionHandler extends ApiHandler {
    private final AccountService account;

    /** Used by the Lambda runtime: wired from the process environment. */
    public RevokeSessionHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public RevokeSessionHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private RevokeSessionHandler(Components c) {
        this(AccountService.from(c), c.cors());
    }

    RevokeSessionHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.requireNoBody();
        account.revokeSession(request.caller(), request.pathParameter("id"), new ClientInfo(request.sourceIp(), request.userAgent()));
        return ApiResponse.noContent();
    }
}
