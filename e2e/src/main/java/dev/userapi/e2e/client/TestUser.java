package dev.userapi.e2e.client;

import java.util.Map;

/** A user created for one test. */
public record TestUser(String email, String password) {
    /** Logs in through the API; fails the test unless it answers 200 with tokens. */
    public Tokens login() {
        return login(dev.userapi.e2e.Target.get().api());
    }

    /** Logs in through the API of {@code api}'s stack. */
    public Tokens login(ApiClient api) {
        ApiResponse response = api.post("/auth/login").json(Map.of("email", email, "password", password)).send();
        if (response.status() != 200 || !response.json().has("accessToken")) {
            throw new AssertionError("Login of " + email + " answered " + response);
        }
        var body = response.json();
        return new Tokens(body.path("accessToken").asText(), body.path("idToken").asText(), body.path("refreshToken").asText(),
                body.path("expiresIn").asInt());
    }
}
