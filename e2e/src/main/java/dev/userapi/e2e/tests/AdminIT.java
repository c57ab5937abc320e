package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.Jwt;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every /users route of docs/openapi.yaml over HTTP, as the seeded administrator. */
class AdminIT {
    private final ApiClient api = Target.get().api();
    private final OutboxClient outbox = Target.get().outbox();
    private final String admin = Admins.token();

    private String idOf(TestUser user) {
        return api.get("/me").bearer(user.login().accessToken()).send().json().path("id").asText();
    }

    @Test
    void listUsers_pagesByEmailWithFilters() {
        String prefix = "page-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            emails.add(TestUsers.confirmed(prefix).email());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ApiResponse page = api.get("/users?limit=1&email=" + TestUsers.emailPrefix(prefix) + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(admin).send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().path("items").forEach(item -> seen.add(item.path("email").asText()));
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsExactlyElementsOf(emails.stream().sorted().toList());

        assertProblem(api.get("/users?limit=0").bearer(admin).send(), 400, "InvalidRequest");
        assertProblem(api.get("/users?limit=101").bearer(admin).send(), 400, "InvalidRequest");
        assertProblem(api.get("/users?cursor=bm90LWEtY3Vyc29y").bearer(admin).send(), 400, "InvalidRequest");
        assertProblem(api.get("/users?role=root").bearer(admin).send(), 400, "InvalidRequest");

        ApiResponse admins = api.get("/users?role=admin&limit=100").bearer(admin).send();
        assertThat(admins.status()).isEqualTo(200);
        admins.json().path("items").forEach(item -> assertThat(item.path("roles").toString()).contains("admin"));
        assertThat(admins.json().path("items").toString()).contains(Admins.seeded().email());
    }

    @Test
    void createUser_sendsATemporaryPassword_andTheFirstLoginSetsTheUsersOwn() {
        Requires.outbox();
        String email = TestUsers.uniqueEmail("created");
        ApiResponse created = api.post("/users").bearer(admin)
                .json(Map.of("email", email, "name", "Grace", "roles", List.of("user"))).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(created.header("Location")).contains("/users/" + id);
        assertThat(created.json().path("email").asText()).isEqualTo(email);

        assertProblem(api.post("/users").bearer(admin).json(Map.of("email", email)).send(), 409, "Conflict");

        String temporary = outbox.latestCode(email, "TEMPORARY_PASSWORD");
        ApiResponse login = api.post("/auth/login").json(Map.of("email", email, "password", temporary)).send();
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.json().path("challenge").asText()).isEqualTo("NEW_PASSWORD_REQUIRED");
        ApiResponse set = api.post("/auth/login/new-password").json(Map.of("email", email,
                "session", login.json().path("session").asText(), "newPassword", "Gr4ce-Hopper-Cobol!")).send();
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        ApiResponse me = api.get("/me").bearer(set.json().path("accessToken").asText()).send();
        assertThat(me.json().path("id").asText()).isEqualTo(id);
        ApiResponse refreshed = api.post("/auth/refresh").json(Map.of("refreshToken", set.json().path("refreshToken").asText())).send();
        assertThat(refreshed.status()).as("a session begun by setting the new password refreshes: " + refreshed).isEqualTo(200);
    }

    @Test
    void getAndPatchUser_withETags() {
        TestUser user = TestUsers.confirmed("managed");
        String id = idOf(user);

        ApiResponse got = api.get("/users/" + id).bearer(admin).send();
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        String etag = got.header("ETag").orElseThrow();

        ApiResponse patched = api.patch("/users/" + id).bearer(admin).header("If-Match", etag).json(Map.of("name", "Renamed")).send();
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("name").asText()).isEqualTo("Renamed");
        assertProblem(api.patch("/users/" + id).bearer(admin).header("If-Match", etag).json(Map.of("name", "Stale")).send(),
                412, "PreconditionFailed");
        assertProblem(api.patch("/users/" + id).bearer(admin).json(Map.of("roles", List.of("admin"))).send(), 400, "InvalidRequest");

        assertProblem(api.get("/users/" + UUID.randomUUID()).bearer(admin).send(), 404, "NotFound");
        assertProblem(api.patch("/users/" + UUID.randomUUID()).bearer(admin).json(Map.of("name", "x")).send(), 404, "NotFound");
    }

    @Test
    void setRoles_takesEffectInTheAuthorizerAtOnce_andInTheNextTokenAfterRefresh() {
        Requires.authorizerCacheOff();
        TestUser user = TestUsers.confirmed("promoted");
        Tokens tokens = user.login();
        String id = idOf(user);
        assertProblem(api.get("/users").bearer(tokens.accessToken()).send(), 403, "Forbidden");

        assertProblem(api.put("/users/" + id + "/roles").bearer(admin).json(Map.of("roles", List.of("user", "root"))).send(),
                400, "InvalidRequest");
        ApiResponse promoted = api.put("/users/" + id + "/roles").bearer(admin).json(Map.of("roles", List.of("admin"))).send();
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        assertThat(promoted.json().path("roles").toString()).isEqualTo("[\"admin\",\"user\"]");

        // tokens issued before the change carry the old roles: refused; a refresh brings tokens with the new ones
        assertProblem(api.get("/me").bearer(tokens.accessToken()).send(), 401, "Unauthorized");
        ApiResponse refreshed = api.post("/auth/refresh").json(Map.of("refreshToken", tokens.refreshToken())).send();
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        JsonNode idClaims = Jwt.claims(refreshed.json().path("idToken").asText());
        JsonNode accessClaims = Jwt.claims(refreshed.json().path("accessToken").asText());
        assertThat(idClaims.path("roles").asText()).isEqualTo("admin,user");
        assertThat(accessClaims.path("cognito:groups").toString()).contains("admin").contains("user");
    }

    @Test
    void disable_blocksSignInAndRefusesTokens_enableRestores() throws InterruptedException {
        Requires.authorizerCacheOff();
        TestUser user = TestUsers.confirmed("disabled");
        Tokens tokens = user.login();
        String id = idOf(user);

        assertThat(api.post("/users/" + id + "/disable").bearer(admin).send().status()).isEqualTo(204);
        assertProblem(api.get("/me").bearer(tokens.accessToken()).send(), 401, "Unauthorized");
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", tokens.refreshToken())).send().status()).isEqualTo(401);
        assertProblem(api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send(),
                401, "InvalidCredentials");
        assertThat(api.get("/users/" + id).bearer(admin).send().json().path("status").asText()).isEqualTo("DISABLED");

        assertThat(api.post("/users/" + id + "/enable").bearer(admin).send().status()).isEqualTo(204);
        assertThat(api.get("/me").bearer(user.login().accessToken()).send().status()).isEqualTo(200);
    }

    @Test
    void b16_adminsCannotLockThemselvesOut() {
        String myId = api.get("/me").bearer(admin).send().json().path("id").asText();
        assertProblem(api.post("/users/" + myId + "/disable").bearer(admin).send(), 409, "Conflict");
        assertProblem(api.delete("/users/" + myId).bearer(admin).send(), 409, "Conflict");
        assertThat(api.get("/me").bearer(admin).send().status()).isEqualTo(200);
    }

    @Test
    void resetPassword_sendsACode_andTheUserSetsANewPassword() {
        Requires.outbox();
        TestUser user = TestUsers.confirmed("reset");
        String id = idOf(user);

        ApiResponse reset = api.post("/users/" + id + "/reset-password").bearer(admin).send();
        assertThat(reset.status()).as(reset.toString()).isEqualTo(202);
        String code = outbox.latestCode(user.email(), "ADMIN_RESET_PASSWORD", "FORGOT_PASSWORD");

        ApiResponse login = api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send();
        assertProblem(login, 403, "PasswordResetRequired");

        ApiResponse done = api.post("/auth/reset-password").json(Map.of("email", user.email(), "code", code,
                "newPassword", "Fresh-Start-Passw0rd!")).send();
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        new TestUser(user.email(), "Fresh-Start-Passw0rd!").login();
    }

    @Test
    void signOut_endsTheUsersSessions() {
        Requires.authorizerCacheOff();
        TestUser user = TestUsers.confirmed("kicked");
        Tokens tokens = user.login();
        String id = idOf(user);

        assertThat(api.post("/users/" + id + "/sign-out").bearer(admin).send().status()).isEqualTo(204);
        assertProblem(api.get("/me").bearer(tokens.accessToken()).send(), 401, "Unauthorized");
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", tokens.refreshToken())).send().status()).isEqualTo(401);
    }

    @Test
    void delete_removesTheUser_andTheAuditTrailRecordsEveryAdminWrite() {
        Requires.authorizerCacheOff();
        TestUser user = TestUsers.confirmed("audited");
        Tokens tokens = user.login();
        String id = idOf(user);
        String adminId = api.get("/me").bearer(admin).send().json().path("id").asText();

        api.patch("/users/" + id).bearer(admin).json(Map.of("name", "Audited")).send();
        api.put("/users/" + id + "/roles").bearer(admin).json(Map.of("roles", List.of("user"))).send();
        assertThat(api.delete("/users/" + id).bearer(admin).send().status()).isEqualTo(204);

        assertProblem(api.get("/users/" + id).bearer(admin).send(), 404, "NotFound");
        assertProblem(api.get("/me").bearer(tokens.accessToken()).send(), 401, "Unauthorized");
        assertProblem(api.delete("/users/" + UUID.randomUUID()).bearer(admin).send(), 404, "NotFound");

        ApiResponse audit = api.get("/users/" + id + "/audit").bearer(admin).send();
        assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        audit.json().path("items").forEach(item -> {
            actions.add(item.path("action").asText());
            assertThat(item.path("actor").asText()).isEqualTo(adminId);
            assertThat(item.path("at").asText()).isNotBlank();
        });
        assertThat(actions).containsExactly("user.delete", "user.roles.set", "user.update");

        ApiResponse first = api.get("/users/" + id + "/audit?limit=1").bearer(admin).send();
        assertThat(first.json().path("items")).hasSize(1);
        String cursor = first.json().path("nextCursor").asText();
        ApiResponse second = api.get("/users/" + id + "/audit?limit=1&cursor=" + cursor).bearer(admin).send();
        assertThat(second.json().path("items").get(0).path("action").asText()).isEqualTo("user.roles.set");
        assertProblem(api.get("/users/" + UUID.randomUUID() + "/audit").bearer(admin).send(), 404, "NotFound");
    }
}
