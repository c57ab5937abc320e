package dev.userapi.e2e.tests;

import dev.userapi.e2e.Requires;
import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.Template.Route;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Calls every route of template.yaml as anonymous, as a {@code user} and as an {@code admin} (for
 * {@code /users/{id}} routes with an existing and a non-existing id) and checks the answer class:
 * a route added without the authorizer, or reachable by the wrong role, fails here.
 */
class AuthorizationMatrixIT {
    private static final Set<String> AUTHZ_CODES = Set.of("Unauthorized", "Forbidden");
    private final ApiClient api = Target.get().api();

    /** All routes the stack serves, from template.yaml. */
    private static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(Target.get().template().routes());
        assertThat(routes).hasSizeGreaterThan(30);
        return routes;
    }

    private static boolean isPublic(Route route) {
        return route.method().equals("OPTIONS") || route.resource().equals("/health")
                || route.resource().startsWith("/auth/") && !isSignedInRoute(route);
    }

    /** The routes every signed-in caller may use: /me and below, and renewing the sign-in. */
    private static boolean isSignedInRoute(Route route) {
        return route.resource().startsWith("/me") || route.resource().equals("/auth/reauthenticate")
                // organizations: the functions answer 404/403 per organization (OrgAuthorizationMatrixIT)
                || route.resource().startsWith("/orgs") || route.resource().startsWith("/invitations/");
    }

    /** A body each route accepts as well-formed, so that what is tested is authorization, not validation. */
    private static Object body(Route route, TestUser caller) {
        String email = TestUsers.uniqueEmail("matrix");
        return switch (route.method() + " " + route.resource()) {
            case "POST /auth/sign-up", "POST /auth/login" -> Map.of("email", email, "password", TestUsers.PASSWORD);
            case "POST /auth/confirm" -> Map.of("email", email, "code", "000000", "password", TestUsers.PASSWORD);
            case "POST /auth/resend-code", "POST /auth/forgot-password", "POST /users" -> Map.of("email", email);
            case "POST /auth/login/mfa" -> Map.of("email", email, "session", "not-a-session", "code", "123456");
            case "POST /auth/login/new-password" -> Map.of("email", email, "session", "not-a-session", "newPassword", "N3w-Password-Here!");
            case "POST /auth/refresh", "POST /auth/logout" -> Map.of("refreshToken", "not-a-token");
            case "POST /auth/reset-password" -> Map.of("email", email, "code", "000000", "newPassword", "N3w-Password-Here!");
            case "PATCH /me", "PATCH /users/{id}" -> Map.of("name", "Matrix");
            case "POST /me/password" -> Map.of("currentPassword", caller == null ? TestUsers.PASSWORD : caller.password(),
                    "newPassword", "N3w-Password-Here!");
            case "POST /me/mfa/totp/verify" -> Map.of("code", "123456");
            case "POST /auth/reauthenticate" -> Map.of("password", caller == null ? TestUsers.PASSWORD : caller.password());
            case "PUT /users/{id}/roles" -> Map.of("roles", List.of("user"));
            case "POST /orgs", "PATCH /orgs/{orgId}" -> Map.of("name", "Matrix");
            case "PUT /orgs/{orgId}/members/{userId}/role" -> Map.of("role", "member");
            case "POST /orgs/{orgId}/invitations" -> Map.of("email", email, "role", "member");
            case "POST /invitations/accept" -> Map.of("token", "q3Jm0yXH8c2v9bqTQe5sR1uWnA7kLd4gPzF6oVtY0hE");
            case "GET /orgs", "GET /orgs/{orgId}", "DELETE /orgs/{orgId}", "GET /orgs/{orgId}/members", "DELETE /orgs/{orgId}/members/{userId}",
                 "GET /orgs/{orgId}/invitations", "DELETE /orgs/{orgId}/invitations/{id}" -> null;
            case "POST /me/email" -> Map.of("newEmail", TestUsers.uniqueEmail("matrix-new"), "password",
                    caller == null ? TestUsers.PASSWORD : caller.password());
            case "POST /me/email/verify" -> Map.of("code", "00000000");
            case "POST /me/passkeys" -> Map.of("credential", Map.of("id", "AAAA", "rawId", "AAAA", "type", "public-key",
                    "response", Map.of("clientDataJSON", "e30", "attestationObject", "oA"), "clientExtensionResults", Map.of()));
            case "POST /me/passkeys/options", "GET /me/passkeys", "DELETE /me/passkeys/{id}" -> null;
            case "POST /auth/passkey/options", "POST /auth/login/email-code" -> Map.of("email", email);
            case "POST /auth/login/email-code/verify" -> Map.of("email", email, "session", "not-a-session", "code", "00000000");
            case "POST /auth/passkey" -> Map.of("email", email, "session", "not-a-session", "credential", Map.of("id", "AAAA",
                    "type", "public-key", "response", Map.of("clientDataJSON", "e30")));
            case "POST /webhooks" -> Map.of("url", "https://hooks.example.com/user-api", "events", List.of("user.created"));
            case "DELETE /me/sessions/{id}", "GET /me/activity", "GET /users/{id}/activity", "GET /webhooks", "DELETE /webhooks/{id}",
                 "GET /webhooks/{id}/deliveries", "POST /webhooks/{id}/deliveries/{deliveryId}/retry" -> null;
            case "GET /health", "GET /auth/oauth/login", "GET /auth/oauth/callback", "GET /me", "DELETE /me", "POST /me/mfa/totp", "DELETE /me/mfa", "GET /me/sessions",
                 "POST /me/sign-out-everywhere", "GET /users", "GET /users/{id}", "DELETE /users/{id}",
                 "POST /users/{id}/disable", "POST /users/{id}/enable", "POST /users/{id}/reset-password",
                 "POST /users/{id}/sign-out", "GET /users/{id}/audit" -> null;
            default -> throw new AssertionError("No sample body for " + route.method() + " " + route.resource()
                    + ": add one here so the new route is covered by the authorization matrix");
        };
    }

    private ApiResponse call(Route route, String token, String id, TestUser caller) {
        String path = route.resource().replace("{id}", id == null ? UUID.randomUUID().toString() : id)
                .replace("{orgId}", UUID.randomUUID().toString()).replace("{userId}", UUID.randomUUID().toString()).replace("{deliveryId}", UUID.randomUUID().toString());
        var request = api.request(route.method(), path);
        if (token != null) {
            request.bearer(token);
        }
        Object body = body(route, caller);
        if (body != null) {
            request.json(body);
        }
        return request.send();
    }

    private static String code(ApiResponse response) {
        try {
            return response.json().path("code").asText();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String idOf(ApiClient api, String token) {
        return api.get("/me").bearer(token).send().json().path("id").asText();
    }

    /** A fresh administrator (promoted by the seeded one), so destructive /me calls never touch the seeded admin. */
    private TestUser freshAdmin() {
        TestUser user = TestUsers.confirmed("matrix-admin");
        String id = idOf(api, user.login().accessToken());
        ApiResponse promoted = api.put("/users/" + id + "/roles").bearer(Admins.token()).json(Map.of("roles", List.of("admin"))).send();
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        return user;
    }

    /** Signs in right after the promotion revoked older tokens: the API hands out tokens that already pass. */
    private static String loginAfterRevocation(TestUser user) {
        return user.login().accessToken();
    }

    @TestFactory
    Stream<DynamicTest> everyRoute_asAnonymousUserAndAdmin() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Route route : routes()) {
            String name = route.method() + " " + route.resource();
            if (route.method().equals("OPTIONS")) {
                continue; // preflight: see preflight_neverNeedsAToken
            }
            if (isPublic(route)) {
                tests.add(DynamicTest.dynamicTest(name + " is public", () -> {
                    if (name.equals("POST /auth/sign-up")) {
                        Requires.sendsEmail(); // a new address gets a code
                    }
                    assertThat(route.authorizer()).as(name + " has no authorizer").isEmpty();
                    ApiResponse anonymous = call(route, null, null, null);
                    assertThat(anonymous.status()).as(anonymous.toString()).isLessThan(500);
                    // the function itself answered (its own 401 for a bad refresh token is fine), not the gateway
                    assertThat(anonymous.header("X-Request-Id")).as("answered by " + route.functionId()).isPresent();
                    assertThat(anonymous.header("WWW-Authenticate")).as(anonymous.toString()).isEmpty();
                }));
                continue;
            }
            tests.add(DynamicTest.dynamicTest(name + " refuses anonymous callers", () -> {
                assertThat(route.authorizer()).as(name + " is behind the authorizer").isPresent();
                ApiResponse anonymous = call(route, null, null, null);
                assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
                ApiResponse garbage = call(route, "not.a.token", null, null);
                assertThat(garbage.status()).as(garbage.toString()).isEqualTo(401);
            }));
            if (isSignedInRoute(route)) {
                tests.add(DynamicTest.dynamicTest(name + " serves any signed-in user", () -> {
                    TestUser user = TestUsers.confirmed("matrix-user");
                    ApiResponse response = call(route, user.login().accessToken(), null, user);
                    assertThat(response.status()).as(response.toString()).isLessThan(500);
                    assertThat(code(response)).as(response.toString()).isNotIn(AUTHZ_CODES);
                }));
                tests.add(DynamicTest.dynamicTest(name + " serves an admin too", () -> {
                    TestUser admin = freshAdmin();
                    ApiResponse response = call(route, loginAfterRevocation(admin), null, admin);
                    assertThat(response.status()).as(response.toString()).isLessThan(500);
                    assertThat(code(response)).as(response.toString()).isNotIn(AUTHZ_CODES);
                }));
                continue;
            }
            if (route.resource().startsWith("/webhooks")) {
                // admin routes whose ids are webhooks, not users (issue 20): WebhooksIT covers their successes
                tests.add(DynamicTest.dynamicTest(name + " is 403 for a user", () -> {
                    TestUser user = TestUsers.confirmed("matrix-nonadmin");
                    ApiResponse response = call(route, user.login().accessToken(), null, user);
                    assertThat(response.status()).as(response.toString()).isEqualTo(403);
                }));
                tests.add(DynamicTest.dynamicTest(name + " reaches its function for an admin", () -> {
                    ApiResponse response = call(route, Admins.token(), null, Admins.seeded());
                    assertThat(response.status()).as(response.toString()).isLessThan(500);
                    assertThat(code(response)).as(response.toString()).isNotIn(AUTHZ_CODES);
                }));
                continue;
            }
            assertThat(route.resource()).as(name + " is an admin route").startsWith("/users");
            boolean hasId = route.resource().contains("{id}");
            tests.add(DynamicTest.dynamicTest(name + " is 403 for a user, whether or not the id exists", () -> {
                TestUser user = TestUsers.confirmed("matrix-nonadmin");
                String token = user.login().accessToken();
                String existing = idOf(api, TestUsers.confirmed("matrix-target").login().accessToken());
                ApiResponse onExisting = call(route, token, existing, user);
                ApiResponse onMissing = call(route, token, null, user);
                assertThat(onExisting.status()).as(onExisting.toString()).isEqualTo(403);
                assertThat(onMissing.status()).as(onMissing.toString()).isEqualTo(403);
                assertThat(onExisting.body()).isEqualTo(onMissing.body().replace(onMissing.json().path("requestId").asText(),
                        onExisting.json().path("requestId").asText()));
            }));
            tests.add(DynamicTest.dynamicTest(name + " succeeds for an admin" + (hasId ? " on an existing id" : ""), () -> {
                if (name.equals("POST /users") || name.equals("POST /users/{id}/reset-password")) {
                    Requires.sendsEmail(); // a temporary password, a reset code
                }
                String existing = idOf(api, TestUsers.confirmed("matrix-victim").login().accessToken());
                ApiResponse response = call(route, Admins.token(), existing, Admins.seeded());
                assertThat(response.status()).as(response.toString()).isBetween(200, 299);
            }));
            if (hasId) {
                tests.add(DynamicTest.dynamicTest(name + " is 404 for an admin on an unknown id", () -> {
                    ApiResponse response = call(route, Admins.token(), null, Admins.seeded());
                    assertThat(response.status()).as(response.toString()).isEqualTo(404);
                    assertThat(code(response)).isEqualTo("NotFound");
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> preflight_neverNeedsAToken() {
        Supplier<Stream<Route>> preflights = () -> routes().stream().filter(r -> r.method().equals("OPTIONS"));
        assertThat(preflights.get().count()).isGreaterThan(20);
        return preflights.get().map(route -> DynamicTest.dynamicTest("OPTIONS " + route.resource(), () -> {
            ApiResponse response = api.options(route.resource().replaceAll("\\{\\w+}", UUID.randomUUID().toString()))
                    .origin(Target.get().origin()).header("Access-Control-Request-Method", "POST").send();
            assertThat(response.status()).as(response.toString()).isEqualTo(204);
            assertThat(response.header("Access-Control-Allow-Origin")).contains(Target.get().origin());
        }));
    }
}
