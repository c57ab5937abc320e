package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;

/** {@code GET /users/{id}}: the user's profile with its {@code ETag}. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminGetUserHandler extends ApiHandler {
    private final AdminService admin;

    public AdminGetUserHandler() {
        this(AdminService.fromEnvironment(), Cors.fromEnvironment());
    }

    AdminGetUserHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.admin();
        var profile = admin.get(request.pathParameter("id"));
        return ApiResponse.ok(profile.toJson()).etag(profile.version());
    }
}
