package dev.userapi.orgs;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.Components;
import dev.userapi.identity.OrgService;
import java.util.Map;

/** {@code PATCH /orgs/{orgId}}: an admin or owner renames the organization. Authorized in {@link OrgService} from
 * DynamoDB at each request.
 */
public final class UpdateOrgHandler extends ApiHandler {
    private final OrgService orgs;

    /** Used by the Lambda runtime: wired from the process environment. */
    public UpdateOrgHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public UpdateOrgHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private UpdateOrgHandler(Components c) {
        this(OrgService.from(c), c.cors());
    }

    UpdateOrgHandler(OrgService orgs, Cors cors) {
        super(cors);
        this.orgs = orgs;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var body = request.body().allowOnly("name");
        return ApiResponse.ok(orgs.rename(request.caller(), request.pathParameter("orgId"), body.requiredString("name", 100)));
    }
}
