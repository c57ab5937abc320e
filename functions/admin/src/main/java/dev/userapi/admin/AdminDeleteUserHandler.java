package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;

/** {@code DELETE /users/{id}}: deletes the account (409 for your own). Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminDeleteUserHandler extends ApiHandler {
    private final AdminService admin;

    public AdminDeleteUserHandler() {
        this(AdminService.fromEnvironment(), Cors.fromEnvironment());
    }

    AdminDeleteUserHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var actor = request.admin();
        request.requireNoBody();
        admin.delete(actor, request.pathParameter("id"));
        return ApiResponse.noContent();
    }
}
