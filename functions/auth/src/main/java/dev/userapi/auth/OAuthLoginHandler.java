package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.OAuthService;
import java.util.Map;

/**
 * {@code GET /auth/oauth/login?redirect=<client URL>&state=<client's random value>}: starts a hosted-UI
 * sign-in (authorization code + PKCE S256, state and nonce) and redirects the browser to the user pool's
 * authorize endpoint, binding the sign-in to this browser with a short-lived {@code __Host-} HttpOnly
 * cookie. The client's {@code state} comes back unchanged in the fragment with the tokens.
 */
public final class OAuthLoginHandler extends ApiHandler {
    private final OAuthService oauth;

    /** Used by the Lambda runtime: wired from the process environment. */
    public OAuthLoginHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public OAuthLoginHandler(Map<String, String> env) {
        this(OAuthComponents.from(env));
    }

    private OAuthLoginHandler(OAuthComponents c) {
        this(c.oauth(), c.cors());
    }

    OAuthLoginHandler(OAuthService oauth, Cors cors) {
        super(cors);
        this.oauth = oauth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        OAuthService.Start start = oauth.start(request.queryParameter("redirect").orElse(null),
                request.queryParameter("state").orElse(null));
        return ApiResponse.found(start.authorizeUrl())
                .header("Set-Cookie", OAuthService.BINDING_COOKIE + "=" + start.bindingCookie()
                        + "; Path=/; Max-Age=600; HttpOnly; Secure; SameSite=Lax");
    }
}
