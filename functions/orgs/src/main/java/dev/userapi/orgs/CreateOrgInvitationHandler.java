package dev.userapi.orgs;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.org.OrgRole;
import dev.userapi.identity.Components;
import dev.userapi.identity.OrgService;
import java.util.Map;

/** {@code POST /orgs/{orgId}/invitations}: an admin invites an address with a role; the token goes by e-mail only.
 * Authorized in {@link OrgService} from DynamoDB at each request.
 */
public final class CreateOrgInvitationHandler extends ApiHandler {
    private final OrgService orgs;

    /** Used by the Lambda runtime: wired from the process environment. */
    public CreateOrgInvitationHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public CreateOrgInvitationHandler(Map<String, String> env) {
        this(Components.from(env), env);
    }

    private CreateOrgInvitationHandler(Components c, Map<String, String> env) {
        this(OrgService.from(c, env), c.cors());
    }

    CreateOrgInvitationHandler(OrgService orgs, Cors cors) {
        super(cors);
        this.orgs = orgs;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var body = request.body().allowOnly("email", "role");
        return ApiResponse.json(201, orgs.invite(request.caller(), request.pathParameter("orgId"), body.requiredEmail("email"),
                OrgRole.parse(body.requiredString("role", 16))));
    }
}
