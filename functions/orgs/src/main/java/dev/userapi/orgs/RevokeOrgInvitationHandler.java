package dev.userapi.orgs;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.Components;
import dev.userapi.identity.OrgService;
import java.util.Map;

/** {@code DELETE /orgs/{orgId}/invitations/{id}}: an admin revokes an invitation; its token stops working.
 * Authorized in {@link OrgService} from DynamoDB at each request.
 */
public final class RevokeOrgInvitationHandler extends ApiHandler {
    private final OrgService orgs;

    /** Used by the Lambda runtime: wired from the process environment. */
    public RevokeOrgInvitationHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public RevokeOrgInvitationHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private RevokeOrgInvitationHandler(Components c) {
        this(OrgService.from(c), c.cors());
    }

    RevokeOrgInvitationHandler(OrgService orgs, Cors cors) {
        super(cors);
        this.orgs = orgs;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.requireNoBody();
        orgs.revoke(request.caller(), request.pathParameter("orgId"), request.pathParameter("id"));
        return ApiResponse.noContent();
    }
}
