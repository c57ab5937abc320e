package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.Components;
import java.util.Map;

/**
 * {@code PUT /users/{id}/roles}: replaces the roles (known roles only; 409 when the last admin would go).
 * Needs the {@code admin} role (the authorizer's policy, checked again here).
 */
public final class AdminSetRolesHandler extends ApiHandler {
    private final AdminService admin;

    /** Used by the Lambda runtime: wired from the process environment. */
    public AdminSetRolesHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public AdminSetRolesHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private AdminSetRolesHandler(Components c) {
        this(AdminService.from(c), c.cors());
    }

    AdminSetRolesHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var actor = request.admin();
        JsonBody body = request.body().allowOnly("roles");
        var profile = admin.setRoles(actor, request.pathParameter("id"), body.requiredStringList("roles", 16, 64));
        return ApiResponse.ok(profile.toJson()).etag(profile.version());
    }
}
