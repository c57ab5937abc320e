package dev.userapi.orgs;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.Components;
import dev.userapi.identity.OrgService;
import java.util.Map;

/** {@code POST /invitations/accept}: the invited user joins with the invitation's role (single use; 410 when
 * expired, revoked or used). Authorized in {@link OrgService} from DynamoDB at each request.
 */
public final class AcceptInvitationHandler extends ApiHandler {
    private final OrgService orgs;

    /** Used by the Lambda runtime: wired from the process environment. */
    public AcceptInvitationHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public AcceptInvitationHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private AcceptInvitationHandler(Components c) {
        this(OrgService.from(c), c.cors());
    }

    AcceptInvitationHandler(OrgService orgs, Cors cors) {
        super(cors);
        this.orgs = orgs;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var body = request.body().allowOnly("token");
        return ApiResponse.ok(orgs.accept(request.caller(), body.requiredString("token", 128)));
    }
}
