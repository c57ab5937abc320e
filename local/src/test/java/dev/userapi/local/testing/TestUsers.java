package dev.userapi.local.testing;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.OutboxClient;

import java.util.Map;
import java.util.UUID;

/** Creates users through the API (sign-up, code from the outbox, confirm), each with a unique address. */
public final class TestUsers {
    /** Satisfies the template's password policy. */
    public static final String PASSWORD = "Corr3ct-Horse-Battery!";

    private TestUsers() {
    }

    public static String uniqueEmail(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    }

    /** Signed up, not confirmed. */
    public static TestUser signedUp(String prefix) {
        return signedUp(TestStack.api(), prefix);
    }

    /** Signed up through {@code api}'s stack, not confirmed. */
    public static TestUser signedUp(ApiClient api, String prefix) {
        TestUser user = new TestUser(uniqueEmail(prefix), PASSWORD);
        ApiResponse response = api.post("/auth/sign-up")
                .json(Map.of("email", user.email(), "password", user.password())).send();
        if (response.status() != 202) {
            throw new AssertionError("Sign-up of " + user.email() + " answered " + response);
        }
        return user;
    }

    /** Signed up and confirmed with the code from the outbox (the password given at sign-up is set with the code). */
    public static TestUser confirmed(String prefix) {
        return confirmed(TestStack.api(), prefix);
    }

    /** Signed up and confirmed through {@code api}'s stack. */
    public static TestUser confirmed(ApiClient api, String prefix) {
        TestUser user = signedUp(api, prefix);
        String code = new OutboxClient(api).confirmationCode(user.email());
        ApiResponse response = api.post("/auth/confirm").json(Map.of("email", user.email(), "code", code, "password", user.password())).send();
        if (response.status() != 200 || !response.json().has("refreshToken")) {
            throw new AssertionError("Confirmation of " + user.email() + " answered " + response);
        }
        // confirming signs in (it answers as a login does): end that session, so a test starts with none
        api.post("/auth/logout").json(Map.of("refreshToken", response.json().path("refreshToken").asText())).send();
        return user;
    }
}
