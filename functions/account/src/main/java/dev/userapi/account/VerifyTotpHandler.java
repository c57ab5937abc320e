package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;
import dev.userapi.core.http.JsonBody;

/** {@code POST /me/mfa/totp/verify}: checks a code from the app; from then on TOTP is required at sign-in. */
public final class VerifyTotpHandler extends ApiHandler {
    private final AccountService account;

    public VerifyTotpHandler() {
        this(AccountService.fromEnvironment(), Cors.fromEnvironment());
    }

    VerifyTotpHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("code");
        account.verifyTotp(request.caller(), request.bearerToken(), body.requiredCode("code"));
        return ApiResponse.noContent();
    }
}
