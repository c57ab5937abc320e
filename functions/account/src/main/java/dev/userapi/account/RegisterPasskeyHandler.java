package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.ClientInfo;
import dev.userapi.identity.Components;
import dev.userapi.identity.PasskeyService;
import java.util.Map;

/** {@code POST /me/passkeys}: registers the passkey the authenticator created; 201 {@code {id, name, createdAt}}. */
public final class RegisterPasskeyHandler extends ApiHandler {
    private final PasskeyService passkeys;

    /** Used by the Lambda runtime: wired from the process environment. */
    public RegisterPasskeyHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public RegisterPasskeyHandler(Map<String, String> env) {
        this(Components.from(env), env);
    }

    private RegisterPasskeyHandler(Components c, Map<String, String> env) {
        this(PasskeyService.from(c, env), c.cors());
    }

    RegisterPasskeyHandler(PasskeyService passkeys, Cors cors) {
        super(cors);
        this.passkeys = passkeys;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("credential", "name");
        return ApiResponse.json(201, passkeys.register(request.caller(), request.bearerToken(), body.requiredObject("credential"),
                body.optionalString("name", 100), new ClientInfo(request.sourceIp(), request.userAgent())));
    }
}
