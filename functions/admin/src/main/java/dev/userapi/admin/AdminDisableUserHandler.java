package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.Components;
import java.util.Map;

/**
 * {@code POST /users/{id}/disable}: blocks sign-in and refuses existing tokens (409 for your own account).
 * Needs the {@code admin} role (the authorizer's policy, checked again here).
 */
public final class AdminDisableUserHandler extends ApiHandler {
    private final AdminService admin;

    /** Used by the Lambda runtime: wired from the process environment. */
    public AdminDisableUserHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public AdminDisableUserHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private AdminDisableUserHandler(Components c) {
        this(AdminService.from(c), c.cors());
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
