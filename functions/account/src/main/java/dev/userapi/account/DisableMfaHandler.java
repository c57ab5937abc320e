package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.ClientInfo;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code DELETE /me/mfa}: TOTP is no longer required at sign-in. */
public final class DisableMfaHandler extends ApiHandler {
    private final AccountService account;

    /** Used by the Lambda runtime: wired from the process environment. */
    public DisableMfaHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public DisableMfaHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private DisableMfaHandler(Components c) {
        this(AccountService.from(c), c.cors());
    }

    DisableMfaHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.requireNoBody();
        account.disableMfa(request.caller(), request.bearerToken(), new ClientInfo(request.sourceIp(), request.userAgent()));
        return ApiResponse.noContent();
    }
}
