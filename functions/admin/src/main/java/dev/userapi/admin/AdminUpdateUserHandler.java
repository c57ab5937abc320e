package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.user.ProfileChanges;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code PATCH /users/{id}}: updates the allow-listed fields, guarded by {@code If-Match}. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminUpdateUserHandler extends ApiHandler {
    private final AdminService admin;

    /** Used by the Lambda runtime: wired from the process environment. */
    public AdminUpdateUserHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public AdminUpdateUserHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private AdminUpdateUserHandler(Components c) {
        this(AdminService.from(c), c.cors());
    }

    AdminUpdateUserHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var actor = request.admin();
        var changes = ProfileChanges.from(request.body());
        var profile = admin.update(actor, request.pathParameter("id"), changes, request.ifMatchVersion());
        return ApiResponse.ok(profile.toJson()).etag(profile.version());
    }
}
