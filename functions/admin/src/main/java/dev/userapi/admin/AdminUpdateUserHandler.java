package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;
import dev.userapi.core.user.ProfileChanges;

/** {@code PATCH /users/{id}}: updates the allow-listed fields, guarded by {@code If-Match}. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminUpdateUserHandler extends ApiHandler {
    private final AdminService admin;

    public AdminUpdateUserHandler() {
        this(AdminService.fromEnvironment(), Cors.fromEnvironment());
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
