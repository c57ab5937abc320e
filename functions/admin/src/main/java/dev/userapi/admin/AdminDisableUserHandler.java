package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;

/** {@code POST /users/{id}/disable}: blocks sign-in and refuses existing tokens (409 for your own account). Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminDisableUserHandler extends ApiHandler {
    private final AdminService admin;

    public AdminDisableUserHandler() {
        this(AdminService.fromEnvironment(), Cors.fromEnvironment());
    }

    AdminDisableUserHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var actor = request.admin();
        request.requireNoBody();
        admin.disable(actor, request.pathParameter("id"));
        return ApiResponse.noContent();
    }
}
