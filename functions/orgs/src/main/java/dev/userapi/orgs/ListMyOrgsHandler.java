package dev.userapi.orgs;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.Components;
import dev.userapi.identity.OrgService;
import java.util.Map;

/** {@code GET /orgs}: the caller's organizations with their role, paged. Authorized in {@link OrgService} from
 * DynamoDB at each request.
 */
public final class ListMyOrgsHandler extends ApiHandler {
    private final OrgService orgs;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ListMyOrgsHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ListMyOrgsHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private ListMyOrgsHandler(Components c) {
        this(OrgService.from(c), c.cors());
    }

    ListMyOrgsHandler(OrgService orgs, Cors cors) {
        super(cors);
        this.orgs = orgs;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(orgs.mine(request.caller(), request.queryParameters()));
    }
}
