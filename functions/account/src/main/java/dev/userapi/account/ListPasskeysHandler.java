package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.Components;
import dev.userapi.identity.PasskeyService;
import java.util.Map;

/** {@code GET /me/passkeys}: the caller's passkeys. */
public final class ListPasskeysHandler extends ApiHandler {
    private final PasskeyService passkeys;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ListPasskeysHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ListPasskeysHandler(Map<String, String> env) {
        this(Components.from(env), env);
    }

    private ListPasskeysHandler(Components c, Map<String, String> env) {
        this(PasskeyService.from(c, env), c.cors());
    }

    ListPasskeysHandler(PasskeyService passkeys, Cors cors) {
        super(cors);
        this.passkeys = passkeys;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(passkeys.list(request.caller(), request.bearerToken()));
    }
}
