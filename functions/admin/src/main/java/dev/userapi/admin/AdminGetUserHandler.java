package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code GET /users/{id}}: the user's profile with its {@code ETag}. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class AdminGetUserHandler extends ApiHandler {
    private final AdminService admin;

    /** Used by the Lambda runtime: wired from the process environment. */
    public AdminGetUserHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public AdminGetUserHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private AdminGetUserHandler(Components c) {
        this(AdminService.from(c), c.cors());
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
