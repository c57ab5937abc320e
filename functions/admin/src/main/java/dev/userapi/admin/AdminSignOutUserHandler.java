package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;

/** {@code POST /users/{id}/sign-out}: the same effect as that user signing out everywhere. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminSignOutUserHandler extends ApiHandler {
    private final AdminService admin;

    public AdminSignOutUserHandler() {
        this(AdminService.fromEnvironment(), Cors.fromEnvironment());
    }

    AdminSignOutUserHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var actor = request.admin();
        request.requireNoBody();
        admin.signOut(actor, request.pathParameter("id"));
        return ApiResponse.noContent();
    }
}
