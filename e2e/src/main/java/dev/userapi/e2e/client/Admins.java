package dev.userapi.e2e.client;

import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import java.util.List;
import java.util.Map;

/**
 * The administrator the admin flows act as. With Cognito's admin APIs (a deployed stack, and the test
 * command's local one) it is a throw-away user of this run, made with the admin APIs and promoted with
 * {@code PUT /users/{id}/roles} by the bootstrap administrator (roles live in DynamoDB, so a Cognito
 * group alone would not make an administrator); without them it is the bootstrap administrator itself.
 * Tests never demote, disable or sign out the one they get.
 */
public final class Admins {
    private static TestUser runAdmin;

    private Admins() {
    }

    /** The administrator that existed before the run (the local stack's seeded one, or E2E_ADMIN_EMAIL). */
    public static TestUser bootstrap() {
        Requires.admin();
        return Target.get().bootstrapAdmin().orElseThrow();
    }

    /** The administrator of the admin flows (see the class comment). */
    public static synchronized TestUser seeded() {
        TestUser bootstrap = bootstrap();
        if (Target.get().cognito().isEmpty()) {
            return bootstrap;
        }
        if (runAdmin == null) {
            ApiClient api = Target.get().api();
            TestUser user = TestUsers.createdWithAdminApis("admin");
            String id = api.get("/me").bearer(user.login(api).accessToken()).send().json().path("id").asText();
            ApiResponse promoted = api.put("/users/" + id + "/roles").bearer(bootstrap.login(api).accessToken())
                    .json(Map.of("roles", List.of("user", "admin"))).send();
            if (promoted.status() != 200) {
                throw new AssertionError("Promoting the run's administrator " + user.email() + " answered " + promoted);
            }
            runAdmin = user;
        }
        return runAdmin;
    }

    /** A fresh access token of {@link #seeded()}. */
    public static String token() {
        return seeded().login().accessToken();
    }
}
