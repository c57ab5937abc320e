package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.OAuthService;

/**
 * {@code GET /auth/oauth/login?redirect=<client URL>}: starts a hosted-UI sign-in (authorization
 * code + PKCE S256, state and nonce) and redirects the browser to the user pool's authorize
 * endpoint, binding the sign-in to this browser with a short-lived {@code __Host-} HttpOnly cookie.
 */
public final class OAuthLoginHandler extends ApiHandler {
    private final OAuthService oauth;

    public OAuthLoginHandler() {
        this(OAuthWiring.fromEnvironment(), Cors.fromEnvironment());
    }

    OAuthLoginHandler(OAuthService oauth, Cors cors) {
        super(cors);
        this.oauth = oauth;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        OAuthService.Start start = oauth.start(request.queryParameter("redirect").orElse(null));
        return ApiResponse.found(start.authorizeUrl())
                .header("Set-Cookie", OAuthService.BINDING_COOKIE + "=" + start.bindingCookie()
                        + "; Path=/; Max-Age=600; HttpOnly; Secure; SameSite=Lax");
    }
}
