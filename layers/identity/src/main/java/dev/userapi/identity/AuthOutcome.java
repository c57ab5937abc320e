package dev.userapi.identity;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a sign-in step yields: tokens, or the next challenge with its session. */
public sealed interface AuthOutcome {
    /** The body of the answer every sign-in route gives for this outcome (docs/openapi.yaml {@code LoginResult}). */
    Map<String, Object> body();

    record Tokens(AuthTokens tokens) implements AuthOutcome {
        @Override
        public Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("accessToken", tokens.accessToken());
            body.put("idToken", tokens.idToken());
            if (tokens.refreshToken() != null) {
                body.put("refreshToken", tokens.refreshToken());
            }
            body.put("expiresIn", tokens.expiresIn());
            body.put("tokenType", tokens.tokenType());
            return body;
        }
    }

    record Challenge(String name, String session) implements AuthOutcome {
        @Override
        public Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("challenge", name);
            body.put("session", session);
            return body;
        }
    }
}
