package dev.userapi.orgs;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.Components;
import dev.userapi.identity.OrgService;
import java.util.Map;

/** {@code DELETE /orgs/{orgId}/members/{userId}}: an admin removes a member, or a member leaves; 409 for the last
 * owner. Authorized in {@link OrgService} from DynamoDB at each request.
 */
public final class RemoveOrgMemberHandler extends ApiHandler {
    private final OrgService orgs;

    /** Used by the Lambda runtime: wired from the process environment. */
    public RemoveOrgMemberHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public RemoveOrgMemberHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private RemoveOrgMemberHandler(Components c) {
        this(OrgService.from(c), c.cors());
    }

    RemoveOrgMemberHandler(OrgService orgs, Cors cors) {
        super(cors);
        this.orgs = orgs;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.requireNoBody();
        orgs.removeMember(request.caller(), request.pathParameter("orgId"), request.pathParameter("userId"));
        return ApiResponse.noContent();
    }
}
