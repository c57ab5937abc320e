package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;
import java.util.Map;

/** {@code POST /users/{id}/reset-password}: Cognito e-mails the user a reset code (202). Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminResetPasswordHandler extends ApiHandler {
    private final AdminService admin;

    public AdminResetPasswordHandler() {
        this(AdminService.fromEnvironment(), Cors.fromEnvironment());
    }

    AdminResetPasswordHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var actor = request.admin();
        request.requireNoBody();
        admin.resetPassword(actor, request.pathParameter("id"));
        return ApiResponse.accepted(Map.of("status", "RESET_CODE_SENT"));
    }
}
