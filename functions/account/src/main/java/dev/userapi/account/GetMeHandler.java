package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code GET /me}: the caller's profile with its {@code ETag}; a missing profile is healed. */
public final class GetMeHandler extends ApiHandler {
    private final AccountService account;

    /** Used by the Lambda runtime: wired from the process environment. */
    public GetMeHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public GetMeHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private GetMeHandler(Components c) {
        this(AccountService.from(c), c.cors());
    }

    GetMeHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var profile = account.me(request.caller(), request.bearerToken());
        return ApiResponse.ok(profile.toJson()).etag(profile.version());
    }
}
