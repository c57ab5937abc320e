package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /users?limit&cursor&email&role&status}: one page of profiles and the next cursor. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminListUsersHandler extends ApiHandler {
    private final AdminService admin;

    public AdminListUsersHandler() {
        this(AdminService.fromEnvironment(), Cors.fromEnvironment());
    }

    AdminListUsersHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.admin();
        var page = admin.list(request.queryParameters());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(p -> p.toJson()).toList());
        body.put("nextCursor", page.nextCursor());
        return ApiResponse.ok(body);
    }
}
