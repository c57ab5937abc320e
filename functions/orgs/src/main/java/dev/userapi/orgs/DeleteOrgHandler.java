package dev.userapi.orgs;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.Components;
import dev.userapi.identity.OrgService;
import java.util.Map;

/** {@code DELETE /orgs/{orgId}}: an owner deletes the organization, its memberships and invitations. Authorized in
 * {@link OrgService} from DynamoDB at each request.
 */
public final class DeleteOrgHandler extends ApiHandler {
    private final OrgService orgs;

    /** Used by the Lambda runtime: wired from the process environment. */
    public DeleteOrgHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public DeleteOrgHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private DeleteOrgHandler(Components c) {
        this(OrgService.from(c), c.cors());
    }

    DeleteOrgHandler(OrgService orgs, Cors cors) {
        super(cors);
        this.orgs = orgs;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.requireNoBody();
        orgs.delete(request.caller(), request.pathParameter("orgId"));
        return ApiResponse.noContent();
    }
}
