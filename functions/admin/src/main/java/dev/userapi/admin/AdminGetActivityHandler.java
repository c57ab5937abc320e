package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.Activity;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code GET /users/{id}/activity}: a user's security activity, newest first, for an administrator. */
public final class AdminGetActivityHandler extends ApiHandler {
    private final AdminService admin;

    /** Used by the Lambda runtime: wired from the process environment. */
    public AdminGetActivityHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public AdminGetActivityHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private AdminGetActivityHandler(Components c) {
        this(AdminService.from(c), c.cors());
    }

    AdminGetActivityHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.admin();
        return ApiResponse.ok(Activity.json(admin.activity(request.pathParameter("id"), request.queryParameters())));
    }
}
