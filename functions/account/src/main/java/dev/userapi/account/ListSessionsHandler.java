package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.problem.ApiException;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.Components;
import dev.userapi.identity.TokenClaims;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /me/sessions}: the caller's signed-in sessions, newest first; {@code current} marks the caller's own. */
public final class ListSessionsHandler extends ApiHandler {
    private final AccountService account;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ListSessionsHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ListSessionsHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private ListSessionsHandler(Components c) {
        this(AccountService.from(c), c.cors());
    }

    ListSessionsHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String originJti = originJtiOf(request);
        List<Map<String, Object>> items = account.sessions(request.caller()).stream().map(s -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", s.id());
            item.put("current", originJti != null && originJti.equals(s.originJti()));
            item.put("createdAt", s.createdAt().toString());
            item.put("lastUsedAt", s.lastUsedAt().toString());
            item.put("sourceIp", s.sourceIp());
            item.put("userAgent", s.userAgent());
            return item;
        }).toList();
        return ApiResponse.ok(Map.of("items", items));
    }

    /**
     * The session the caller's own token belongs to: its {@code origin_jti} (the authorizer verified the token before
     * this function runs); none when the token carries none or is not the caller's.
     */
    private static String originJtiOf(ApiRequest request) {
        try {
            TokenClaims claims = TokenClaims.of(request.bearerToken());
            return claims.sub().equals(request.caller().sub()) ? claims.originJti() : null;
        } catch (ApiException e) {
            return null;
        }
    }
}
