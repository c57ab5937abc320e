package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;

/** {@code POST /me/sign-out-everywhere}: every session ends and every token issued before now is refused. */
public final class SignOutEverywhereHandler extends ApiHandler {
    private final AccountService account;

    public SignOutEverywhereHandler() {
        this(AccountService.fromEnvironment(), Cors.fromEnvironment());
    }

    SignOutEverywhereHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.requireNoBody();
        account.signOutEverywhere(request.caller(), request.bearerToken());
        return ApiResponse.noContent();
    }
}
