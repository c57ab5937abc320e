package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.identity.ClientInfo;
import dev.userapi.identity.OAuthService;
import java.util.Map;

/**
 * {@code GET /auth/oauth/callback?code&state}: where the user pool's hosted UI returns. Finishes the
 * sign-in started by {@link OAuthLoginHandler} in this browser, then redirects to the client URL it
 * named, with the tokens in the URL fragment (never sent to a server). The binding cookie is cleared.
 */
public final class OAuthCallbackHandler extends ApiHandler {
    private static final String CLEAR_COOKIE = OAuthService.BINDING_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax";

    private final OAuthService oauth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public OAuthCallbackHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public OAuthCallbackHandler(Map<String, String> env) {
        this(OAuthComponents.from(env));
    }

    private OAuthCallbackHandler(OAuthComponents c) {
        this(c.oauth(), c.cors());
    }

    OAuthCallbackHandler(OAuthService oauth, Cors cors) {
        super(cors);
        this.oauth = oauth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String state = request.queryParameter("state").filter(s -> !s.isBlank())
                .orElseThrow(() -> new InvalidRequestException("Query parameter 'state' is required."));
        String binding = request.cookie(OAuthService.BINDING_COOKIE).orElse(null);
        if (request.queryParameter("error").isPresent()) {
            return ApiResponse.found(oauth.cancel(state, binding)).header("Set-Cookie", CLEAR_COOKIE);
        }
        String code = request.queryParameter("code").filter(c -> !c.isBlank())
                .orElseThrow(() -> new InvalidRequestException("Query parameter 'code' is required."));
        String location = oauth.finish(code, state, binding, new ClientInfo(request.sourceIp(), request.userAgent()));
        return ApiResponse.found(location).header("Set-Cookie", CLEAR_COOKIE);
    }
}
