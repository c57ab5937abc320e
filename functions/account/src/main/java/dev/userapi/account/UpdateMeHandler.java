package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.user.ProfileChanges;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.Components;
import java.util.Map;

/** {@code PATCH /me}: updates the allow-listed fields; {@code If-Match} guards against lost updates (412). */
public final class UpdateMeHandler extends ApiHandler {
    private final AccountService account;

    /** Used by the Lambda runtime: wired from the process environment. */
    public UpdateMeHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public UpdateMeHandler(Map<String, String> env) {
        this(Components.from(env));
    }

    private UpdateMeHandler(Components c) {
        this(AccountService.from(c), c.cors());
    }

    UpdateMeHandler(AccountService account, Cors cors) {
        super(cors);
        this.account = account;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var changes = ProfileChanges.from(request.body());
        var profile = account.update(request.caller(), changes, request.ifMatchVersion());
        return ApiResponse.ok(profile.toJson()).etag(profile.version());
    }

    /** Priming reaches the update itself (its write is marshalled, then refused by the priming guard). */
    @Override
    protected String primingBody() {
        return "{\"name\":\"SnapStart priming\"}";
    }
}
