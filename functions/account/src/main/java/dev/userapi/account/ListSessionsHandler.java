package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /me/sessions}: the caller's signed-in sessions, newest first. */
public final class ListSessionsHandler extends ApiHandler {
    private final AccountService account;

    public ListSessionsHandler() {
        this(AccountService.fromEnvironment(), Cors.fromEnvironment());
    }

    ListSessionsHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        List<Map<String, Object>> items = account.sessions(request.caller()).stream().map(s -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", s.id());
            item.put("createdAt", s.createdAt().toString());
            item.put("lastUsedAt", s.lastUsedAt().toString());
            item.put("sourceIp", s.sourceIp());
            item.put("userAgent", s.userAgent());
            return item;
        }).toList();
        return ApiResponse.ok(Map.of("items", items));
    }
}
