package dev.userapi.e2e.client;

import dev.userapi.e2e.Cleanup;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Throw-away users, each with a unique address {@code e2e-<run>-<prefix>-<random>@example.com}
 * (every one is recorded for {@link Cleanup}). Confirmed users come from sign-up and the code in the
 * outbox on a local stack, or from Cognito's admin APIs where there is no outbox.
 */
public final class TestUsers {
    /** Satisfies the template's password policy. */
    public static final String PASSWORD = "Corr3ct-Horse-Battery!";

    private TestUsers() {
    }

    /** What every address of this run with {@code prefix} starts with. */
    public static String emailPrefix(String prefix) {
        return "e2e-" + Target.get().runId() + "-" + prefix;
    }

    public static String uniqueEmail(String prefix) {
        String email = emailPrefix(prefix) + "-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        Cleanup.record(email.toLowerCase(Locale.ROOT));
        return email;
    }

    /** Signed up, not confirmed (sign-up e-mails a code: local stacks only). */
    public static TestUser signedUp(String prefix) {
        return signedUp(Target.get().api(), prefix);
    }

    public static TestUser signedUp(ApiClient api, String prefix) {
        Requires.sendsEmail();
        TestUser user = new TestUser(uniqueEmail(prefix), PASSWORD);
        ApiResponse response = api.post("/auth/sign-up")
                .json(Map.of("email", user.email(), "password", user.password())).send();
        if (response.status() != 202) {
            throw new AssertionError("Sign-up of " + user.email() + " answered " + response);
        }
        return user;
    }

    /**
     * A confirmed user: signed up and confirmed with the code from the outbox on a local stack; made
     * with Cognito's admin APIs otherwise (its profile is made by the API at its first sign-in).
     */
    public static TestUser confirmed(String prefix) {
        Target target = Target.get();
        if (target.local()) {
            return confirmedBySignUp(target.api(), prefix);
        }
        Requires.cognito();
        return createdWithAdminApis(prefix);
    }

    /** Signed up and confirmed through the API, with the code from the outbox. */
    public static TestUser confirmedBySignUp(ApiClient api, String prefix) {
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

    /** Made with AdminCreateUser + AdminSetUserPassword (permanent): no e-mail, no trigger, no profile yet. */
    public static TestUser createdWithAdminApis(String prefix) {
        Requires.cognito();
        TestUser user = new TestUser(uniqueEmail(prefix), PASSWORD);
        cognitoUsers().create(user.email(), user.password(), "E2E " + prefix);
        return user;
    }

    public static CognitoUsers cognitoUsers() {
        Requires.cognito();
        Target target = Target.get();
        return new CognitoUsers(target.cognito().orElseThrow(), target.userPoolId());
    }
}
