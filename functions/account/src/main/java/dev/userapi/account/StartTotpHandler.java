package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;

/** {@code POST /me/mfa/totp}: starts TOTP set-up and returns the secret and an {@code otpauth://} URI. */
public final class StartTotpHandler extends ApiHandler {
    private final AccountService account;

    public StartTotpHandler() {
        this(AccountService.fromEnvironment(), Cors.fromEnvironment());
    }

    StartTotpHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.requireNoBody();
        return ApiResponse.ok(account.startTotp(request.caller(), request.bearerToken()));
    }
}
