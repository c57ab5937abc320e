package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.ClientInfo;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code POST /me/mfa/totp/verify}: checks a code from the app; from then on TOTP is required at sign-in. */
public final class VerifyTotpHandler extends ApiHandler {
    private final AccountService account;

    /** Used by the Lambda runtime: wired from the process environment. */
    public VerifyTotpHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public VerifyTotpHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private VerifyTotpHandler(Components c) {
        this(AccountService.from(c), c.cors());
    }

    VerifyTotpHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("code");
        account.verifyTotp(request.caller(), request.bearerToken(), body.requiredCode("code"),
                new ClientInfo(request.sourceIp(), request.userAgent()));
        return ApiResponse.noContent();
    }
}
