package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.identity.AccountService;
import dev.userapi.core.user.ProfileChanges;

/** {@code PATCH /me}: updates the allow-listed fields; {@code If-Match} guards against lost updates (412). */
public final class UpdateMeHandler extends ApiHandler {
    private final AccountService account;

    public UpdateMeHandler() {
        this(AccountService.fromEnvironment(), Cors.fromEnvironment());
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
}
