package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.Activity;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code GET /me/activity}: the caller's security activity (sign-ins, failures, credential and session changes), newest first. */
public final class ListActivityHandler extends ApiHandler {
    private final AccountService account;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ListActivityHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ListActivityHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private ListActivityHandler(Components c) {
        this(AccountService.from(c), c.cors());
    }

    ListActivityHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(Activity.json(account.activity(request.caller(), request.queryParameters())));
    }
}
