package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;

/** {@code GET /me}: the caller's profile with its {@code ETag}; a missing profile is healed. */
public final class GetMeHandler extends ApiHandler {
    private final AccountService account;

    public GetMeHandler() {
        this(AccountService.fromEnvironment(), Cors.fromEnvironment());
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
