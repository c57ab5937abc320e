package dev.userapi.orgs;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.Components;
import dev.userapi.identity.OrgService;
import java.util.Map;

/** {@code POST /orgs}: a new organization with the caller as its only owner (201). Authorized in {@link
 * OrgService} from DynamoDB at each request.
 */
public final class CreateOrgHandler extends ApiHandler {
    private final OrgService orgs;

    /** Used by the Lambda runtime: wired from the process environment. */
    public CreateOrgHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public CreateOrgHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private CreateOrgHandler(Components c) {
        this(OrgService.from(c), c.cors());
    }

    CreateOrgHandler(OrgService orgs, Cors cors) {
        super(cors);
        this.orgs = orgs;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var body = request.body().allowOnly("name");
        return ApiResponse.json(201, orgs.create(request.caller(), body.requiredString("name", 100)));
    }
}
