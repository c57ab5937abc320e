package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code POST /me/password}: changes the password; 401 when the current one is wrong. */
public final class ChangePasswordHandler extends ApiHandler {
    private final AccountService account;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ChangePasswordHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ChangePasswordHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private ChangePasswordHandler(Components c) {
        this(AccountService.from(c), c.cors());
    }

    ChangePasswordHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("currentPassword", "newPassword");
        account.changePassword(request.caller(), request.sourceIp(), request.bearerToken(), body.requiredPassword("currentPassword"),
                body.requiredPassword("newPassword"));
        return ApiResponse.noContent();
    }
}
