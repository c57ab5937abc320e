package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.Components;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /users/{id}/audit?limit&cursor}: the user's audit trail, newest first. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminGetAuditHandler extends ApiHandler {
    private final AdminService admin;

    /** Used by the Lambda runtime: wired from the process environment. */
    public AdminGetAuditHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public AdminGetAuditHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private AdminGetAuditHandler(Components c) {
        this(AdminService.from(c), c.cors());
    }

    AdminGetAuditHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.admin();
        var page = admin.auditTrail(request.pathParameter("id"), request.queryParameters());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(e -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("at", e.at().toString());
            item.put("actor", e.actor());
            item.put("action", e.action());
            item.put("target", e.target());
            item.put("details", e.details());
            return item;
        }).toList());
        body.put("nextCursor", page.nextCursor());
        return ApiResponse.ok(body);
    }
}
