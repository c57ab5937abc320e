package dev.userapi.auth;

import dev.userapi.core.http.ApiResponse;
import dev.userapi.identity.AuthOutcome;
import dev.userapi.identity.AuthTokens;

/** The bodies of the sign-in routes: tokens, or the next challenge. */
final class AuthResponses {
    private AuthResponses() {
    }

    static ApiResponse of(AuthOutcome outcome) {
        return ApiResponse.ok(outcome.body());
    }

    static ApiResponse tokens(AuthTokens tokens) {
        return of(new AuthOutcome.Tokens(tokens));
    }
}
