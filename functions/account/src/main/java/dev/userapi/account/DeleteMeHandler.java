package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code DELETE /me}: the account, its profile and its sessions are gone (204). */
public final class DeleteMeHandler extends ApiHandler {
    private final AccountService account;

    /** Used by the Lambda runtime: wired from the process environment. */
    public DeleteMeHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public DeleteMeHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private DeleteMeHandler(Components c) {
        this(AccountService.from(c), c.cors());
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
