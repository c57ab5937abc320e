package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.Components;
import dev.userapi.identity.PasskeyService;
import java.util.Map;

/** {@code POST /me/passkeys/options}: WebAuthn creation options for a new passkey; recent authentication required. */
public final class StartPasskeyRegistrationHandler extends ApiHandler {
    private final PasskeyService passkeys;

    /** Used by the Lambda runtime: wired from the process environment. */
    public StartPasskeyRegistrationHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public StartPasskeyRegistrationHandler(Map<String, String> env) {
        this(Components.from(env), env);
    }

    private StartPasskeyRegistrationHandler(Components c, Map<String, String> env) {
        this(PasskeyService.from(c, env), c.cors());
    }

    StartPasskeyRegistrationHandler(PasskeyService passkeys, Cors cors) {
        super(cors);
        this.passkeys = passkeys;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.requireNoBody();
        return ApiResponse.ok(passkeys.registrationOptions(request.caller(), request.bearerToken()));
    }
}
