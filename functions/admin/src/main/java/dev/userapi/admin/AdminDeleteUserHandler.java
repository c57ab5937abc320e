package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code DELETE /users/{id}}: deletes the account (409 for your own). Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminDeleteUserHandler extends ApiHandler {
    private final AdminService admin;

    /** Used by the Lambda runtime: wired from the process environment. */
    public AdminDeleteUserHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public AdminDeleteUserHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private AdminDeleteUserHandler(Components c) {
        this(AdminService.from(c), c.cors());
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
