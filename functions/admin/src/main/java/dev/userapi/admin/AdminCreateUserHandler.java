package dev.userapi.admin;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.Components;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /users}: creates an account (Cognito e-mails a temporary password); 201 with the profile.
 * Needs the {@code admin} role (the authorizer's policy, checked again here).
 */
public final class AdminCreateUserHandler extends ApiHandler {
    private final AdminService admin;

    /** Used by the Lambda runtime: wired from the process environment. */
    public AdminCreateUserHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public AdminCreateUserHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private AdminCreateUserHandler(Components c) {
        this(AdminService.from(c), c.cors());
    }

    AdminCreateUserHandler(AdminService admin, Cors cors) {
        super(cors);
        this.admin = admin;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var actor = request.admin();
        JsonBody body = request.body().allowOnly("email", "name", "roles");
        List<String> roles = body.has("roles") ? body.requiredStringList("roles", 16, 64) : List.of();
        var profile = admin.create(actor, body.requiredEmail("email"), body.optionalString("name", 128), roles);
        return ApiResponse.json(201, profile.toJson()).etag(profile.version()).header("Location", "/users/" + profile.id());
    }
}
