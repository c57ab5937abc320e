package dev.userapi.auth;

import dev.userapi.core.http.ApiResponse;
import dev.userapi.identity.AuthOutcome;
import dev.userapi.identity.AuthTokens;
import java.util.LinkedHashMap;
import java.util.Map;

/** The bodies of the sign-in routes: tokens, or the next challenge. */
final class AuthResponses {
    private AuthResponses() {
    }

    static ApiResponse of(AuthOutcome outcome) {
        if (outcome instanceof AuthOutcome.Tokens tokens) {
            return tokens(tokens.tokens());
        }
        AuthOutcome.Challenge challenge = (AuthOutcome.Challenge) outcome;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("challenge", challenge.name());
        body.put("session", challenge.session());
        return ApiResponse.ok(body);
    }

    static ApiResponse tokens(AuthTokens tokens) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accessToken", tokens.accessToken());
        body.put("idToken", tokens.idToken());
        if (tokens.refreshToken() != null) {
            body.put("refreshToken", tokens.refreshToken());
        }
        body.put("expiresIn", tokens.expiresIn());
        body.put("tokenType", tokens.tokenType());
        return ApiResponse.ok(body);
    }
}
