package dev.userapi.orgs;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.Components;
import dev.userapi.identity.OrgService;
import java.util.Map;

/** {@code GET /orgs/{orgId}/invitations}: an admin (or a global admin) lists the invitations and their status.
 * Authorized in {@link OrgService} from DynamoDB at each request.
 */
public final class ListOrgInvitationsHandler extends ApiHandler {
    private final OrgService orgs;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ListOrgInvitationsHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ListOrgInvitationsHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private ListOrgInvitationsHandler(Components c) {
        this(OrgService.from(c), c.cors());
    }

    ListOrgInvitationsHandler(OrgService orgs, Cors cors) {
        super(cors);
        this.orgs = orgs;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(orgs.invitations(request.caller(), request.pathParameter("orgId")));
    }
}
