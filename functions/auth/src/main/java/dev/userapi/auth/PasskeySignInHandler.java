package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.ClientInfo;
import dev.userapi.identity.Components;
import dev.userapi.identity.PasskeyService;
import java.util.Map;

/** {@code POST /auth/passkey}: signs in with a passkey assertion; 401 {@code InvalidCredentials} when it does not verify. */
public final class PasskeySignInHandler extends ApiHandler {
    private final PasskeyService passkeys;

    /** Used by the Lambda runtime: wired from the process environment. */
    public PasskeySignInHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public PasskeySignInHandler(Map<String, String> env) {
        this(Components.from(env), env);
    }

    private PasskeySignInHandler(Components c, Map<String, String> env) {
        this(PasskeyService.from(c, env), c.cors());
    }

    PasskeySignInHandler(PasskeyService passkeys, Cors cors) {
        super(cors);
        this.passkeys = passkeys;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email", "session", "credential");
        return AuthResponses.of(passkeys.signIn(body.requiredEmail("email"), body.requiredString("session", 4096),
                body.requiredObject("credential"), new ClientInfo(request.sourceIp(), request.userAgent())));
    }
}
