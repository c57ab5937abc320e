package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code POST /me/mfa/totp}: starts TOTP set-up and returns the secret and an {@code otpauth://} URI. */
public final class StartTotpHandler extends ApiHandler {
    private final AccountService account;

    /** Used by the Lambda runtime: wired from the process environment. */
    public StartTotpHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public StartTotpHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private StartTotpHandler(Components c) {
        this(AccountService.from(c), c.cors());
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
