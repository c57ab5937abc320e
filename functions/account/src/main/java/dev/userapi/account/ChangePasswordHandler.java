package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;
import dev.userapi.core.http.JsonBody;

/** {@code POST /me/password}: changes the password; 401 when the current one is wrong. */
public final class ChangePasswordHandler extends ApiHandler {
    private final AccountService account;

    public ChangePasswordHandler() {
        this(AccountService.fromEnvironment(), Cors.fromEnvironment());
    }

    ChangePasswordHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("currentPassword", "newPassword");
        account.changePassword(request.bearerToken(), body.requiredPassword("currentPassword"), body.requiredPassword("newPassword"));
        return ApiResponse.noContent();
    }
}
