package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.ClientInfo;
import dev.userapi.identity.Components;
import dev.userapi.identity.PasskeyService;
import java.util.Map;

/** {@code DELETE /me/passkeys/{id}}: removes one of the caller's passkeys; recent authentication required. */
public final class DeletePasskeyHandler extends ApiHandler {
    private final PasskeyService passkeys;

    /** Used by the Lambda runtime: wired from the process environment. */
    public DeletePasskeyHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public DeletePasskeyHandler(Map<String, String> env) {
        this(Components.from(env), env);
    }

    private DeletePasskeyHandler(Components c, Map<String, String> env) {
        this(PasskeyService.from(c, env), c.cors());
    }

    DeletePasskeyHandler(PasskeyService passkeys, Cors cors) {
        super(cors);
        this.passkeys = passkeys;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.requireNoBody();
        passkeys.delete(request.caller(), request.bearerToken(), request.pathParameter("id"), new ClientInfo(request.sourceIp(), request.userAgent()));
        return ApiResponse.noContent();
    }
}
