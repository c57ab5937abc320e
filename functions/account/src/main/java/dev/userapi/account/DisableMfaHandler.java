package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;

/** {@code DELETE /me/mfa}: TOTP is no longer required at sign-in. */
public final class DisableMfaHandler extends ApiHandler {
    private final AccountService account;

    public DisableMfaHandler() {
        this(AccountService.fromEnvironment(), Cors.fromEnvironment());
    }

    DisableMfaHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.requireNoBody();
        account.disableMfa(request.caller(), request.bearerToken());
        return ApiResponse.noContent();
    }
}
