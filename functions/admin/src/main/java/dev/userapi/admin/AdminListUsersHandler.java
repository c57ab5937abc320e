package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.Components;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /users?limit&cursor&email&role&status}: one page of profiles and the next cursor. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminListUsersHandler extends ApiHandler {
    private final AdminService admin;

    /** Used by the Lambda runtime: wired from the process environment. */
    public AdminListUsersHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public AdminListUsersHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private AdminListUsersHandler(Components c) {
        this(AdminService.from(c), c.cors());
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
