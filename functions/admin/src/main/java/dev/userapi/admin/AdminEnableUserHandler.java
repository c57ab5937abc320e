package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;

/** {@code POST /users/{id}/enable}: allows sign-in again. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminEnableUserHandler extends ApiHandler {
    private final AdminService admin;

    public AdminEnableUserHandler() {
        this(AdminService.fromEnvironment(), Cors.fromEnvironment());
    }

    AdminEnableUserHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var actor = request.admin();
        request.requireNoBody();
        admin.enable(actor, request.pathParameter("id"));
        return ApiResponse.noContent();
    }
}
