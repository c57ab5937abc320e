package dev.userapi.orgs;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.org.OrgRole;
import dev.userapi.identity.Components;
import dev.userapi.identity.OrgService;
import java.util.Map;

/** {@code PUT /orgs/{orgId}/members/{userId}/role}: an admin changes a member's role (only an owner touches
 * owner); 409 for the last owner. Authorized in {@link OrgService} from DynamoDB at each request.
 */
public final class SetOrgMemberRoleHandler extends ApiHandler {
    private final OrgService orgs;

    /** Used by the Lambda runtime: wired from the process environment. */
    public SetOrgMemberRoleHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public SetOrgMemberRoleHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private SetOrgMemberRoleHandler(Components c) {
        this(OrgService.from(c), c.cors());
    }

    SetOrgMemberRoleHandler(OrgService orgs, Cors cors) {
        super(cors);
        this.orgs = orgs;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var body = request.body().allowOnly("role");
        return ApiResponse.ok(orgs.setRole(request.caller(), request.pathParameter("orgId"), request.pathParameter("userId"),
                OrgRole.parse(body.requiredString("role", 16))));
    }
}
