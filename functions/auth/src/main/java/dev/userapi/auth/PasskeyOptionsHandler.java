package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.Components;
import dev.userapi.identity.PasskeyService;
import java.util.Map;

/** {@code POST /auth/passkey/options}: WebAuthn request options and a session; uniform for every address. */
public final class PasskeyOptionsHandler extends ApiHandler {
    private final PasskeyService passkeys;

    /** Used by the Lambda runtime: wired from the process environment. */
    public PasskeyOptionsHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public PasskeyOptionsHandler(Map<String, String> env) {
        this(Components.from(env), env);
    }

    private PasskeyOptionsHandler(Components c, Map<String, String> env) {
        this(PasskeyService.from(c, env), c.cors());
    }

    PasskeyOptionsHandler(PasskeyService passkeys, Cors cors) {
        super(cors);
        this.passkeys = passkeys;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email");
        return ApiResponse.ok(passkeys.signInOptions(body.requiredEmail("email")));
    }
}
