package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code POST /users/{id}/reset-password}: Cognito e-mails the user a reset code (202). Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminResetPasswordHandler extends ApiHandler {
    private final AdminService admin;

    /** Used by the Lambda runtime: wired from the process environment. */
    public AdminResetPasswordHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public AdminResetPasswordHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private AdminResetPasswordHandler(Components c) {
        this(AdminService.from(c), c.cors());
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
