package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;

/** {@code DELETE /me}: the account, its profile and its sessions are gone (204). */
public final class DeleteMeHandler extends ApiHandler {
    private final AccountService account;

    public DeleteMeHandler() {
        this(AccountService.fromEnvironment(), Cors.fromEnvironment());
    }

    DeleteMeHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.requireNoBody();
        account.deleteMe(request.caller(), request.bearerToken());
        return ApiResponse.noContent();
    }
}
