package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Tokens;
import dev.userapi.e2e.client.Totp;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every /me route of docs/openapi.yaml over HTTP: success and error responses, against cognito-local and DynamoDB Local. */
class AccountIT {
    private final ApiClient api = Target.get().api();

    @Test
    void getMe_returnsTheProfileWithItsETag() {
        TestUser user = TestUsers.confirmed("Me.Upper");
        ApiResponse me = api.get("/me").bearer(user.login().accessToken()).send();

        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().path("email").asText()).isEqualTo(user.email().toLowerCase());
        assertThat(me.json().path("roles").toString()).isEqualTo("[\"user\"]");
        assertThat(me.json().path("status").asText()).isEqualTo("ENABLED");
        assertThat(me.json().path("mfaEnabled").asBoolean()).isFalse();
        assertThat(me.json().path("version").asLong()).isEqualTo(1);
        assertThat(me.header("ETag")).contains("\"1\"");
        assertThat(me.header("Cache-Control")).contains("no-store");
    }

    @Test
    void patchMe_updatesAllowedFields_andGuardsAgainstLostUpdates() {
        String token = TestUsers.confirmed("patch").login().accessToken();
        String etag = api.get("/me").bearer(token).send().header("ETag").orElseThrow();

        ApiResponse updated = api.patch("/me").bearer(token).header("If-Match", etag)
                .json(Map.of("name", "Ada Lovelace", "locale", "en-GB", "picture", "https://img.example/ada.png",
                        "phoneNumber", "+447700900123")).send();
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(updated.json().path("phoneNumber").asText()).isEqualTo("+447700900123");
        assertThat(updated.header("ETag")).isPresent().get().isNotEqualTo(etag);

        ApiResponse stale = api.patch("/me").bearer(token).header("If-Match", etag).json(Map.of("name", "Stale")).send();
        assertProblem(stale, 412, "PreconditionFailed");
        assertThat(api.get("/me").bearer(token).send().json().path("name").asText()).isEqualTo("Ada Lovelace");

        ApiResponse cleared = api.patch("/me").bearer(token).json("{\"phoneNumber\":null}").send();
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().path("phoneNumber").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"roles", "email", "sub", "id", "status", "version", "email_verified", "mfaEnabled"})
    void b14_patchMe_withAProtectedField_is400_andNothingIsWritten(String field) {
        String token = TestUsers.confirmed("mass").login().accessToken();
        ApiResponse before = api.get("/me").bearer(token).send();

        ApiResponse attempt = api.patch("/me").bearer(token)
                .json("{\"name\":\"Mallory\",\"" + field + "\":[\"admin\"]}").send();

        assertProblem(attempt, 400, "InvalidRequest");
        ApiResponse after = api.get("/me").bearer(token).send();
        assertThat(after.json()).isEqualTo(before.json());
    }

    @Test
    void changePassword_rows() {
        TestUser user = TestUsers.confirmed("pw");
        String token = user.login().accessToken();

        assertProblem(api.post("/me/password").bearer(token)
                .json(Map.of("currentPassword", "Not-The-Passw0rd!", "newPassword", "An0ther-Horse-Battery!")).send(),
                403, "InvalidCredentials");
        assertProblem(api.post("/me/password").bearer(token)
                .json(Map.of("currentPassword", user.password(), "newPassword", "weak")).send(), 400, "InvalidPassword");

        ApiResponse changed = api.post("/me/password").bearer(token)
                .json(Map.of("currentPassword", user.password(), "newPassword", "An0ther-Horse-Battery!")).send();
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().path("accessToken").asText()).as("fresh tokens").isNotEmpty();

        assertProblem(api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send(),
                401, "InvalidCredentials");
        new TestUser(user.email(), "An0ther-Horse-Battery!").login();
    }

    @Test
    void totp_enable_thenLoginNeedsTheCode_thenDisable() {
        TestUser user = TestUsers.confirmed("totp");
        String token = user.login().accessToken();

        ApiResponse setup = api.post("/me/mfa/totp").bearer(token).send();
        assertThat(setup.status()).as(setup.toString()).isEqualTo(200);
        String secret = setup.json().path("secretCode").asText();
        assertThat(setup.json().path("otpauthUri").asText()).startsWith("otpauth://totp/").contains("secret=" + secret);

        assertProblem(api.post("/me/mfa/totp/verify").bearer(token).json(Map.of("code", Totp.wrong(secret))).send(),
                400, "CodeMismatch");
        ApiResponse verified = api.post("/me/mfa/totp/verify").bearer(token).json(Map.of("code", Totp.now(secret))).send();
        assertThat(verified.status()).as(verified.toString()).isEqualTo(204);
        assertThat(api.get("/me").bearer(token).send().json().path("mfaEnabled").asBoolean()).isTrue();

        ApiResponse login = api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send();
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.json().path("challenge").asText()).isEqualTo("SOFTWARE_TOKEN_MFA");
        String session = login.json().path("session").asText();
        assertThat(login.json().has("accessToken")).isFalse();

        assertProblem(api.post("/auth/login/mfa").json(Map.of("email", user.email(), "session", session,
                "code", Totp.wrong(secret))).send(), 401, "CodeMismatch");
        ApiResponse second = api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send();
        ApiResponse mfa = api.post("/auth/login/mfa").json(Map.of("email", user.email(),
                "session", second.json().path("session").asText(), "code", Totp.now(secret))).send();
        assertThat(mfa.status()).as(mfa.toString()).isEqualTo(200);
        String mfaToken = mfa.json().path("accessToken").asText();
        assertThat(mfaToken).isNotBlank();
        ApiResponse refreshed = api.post("/auth/refresh").json(Map.of("refreshToken", mfa.json().path("refreshToken").asText())).send();
        assertThat(refreshed.status()).as("a session begun with a TOTP code refreshes: " + refreshed).isEqualTo(200);

        ApiResponse disabled = api.delete("/me/mfa").bearer(mfaToken).send();
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(204);
        assertThat(user.login().accessToken()).isNotBlank();
    }

    @Test
    void sessions_listOneEntryPerLogin_andLogoutEndsOne() {
        TestUser user = TestUsers.confirmed("sessions");
        Tokens first = user.login();
        Tokens second = user.login();

        ApiResponse list = api.get("/me/sessions").bearer(second.accessToken()).header("User-Agent", "AccountIT").send();
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.json().path("items")).hasSize(2);
        var item = list.json().path("items").get(0);
        assertThat(item.path("id").asText()).isNotBlank();
        assertThat(item.path("createdAt").asText()).isNotBlank();
        assertThat(item.path("lastUsedAt").asText()).isNotBlank();
        assertThat(item.path("sourceIp").asText()).isNotBlank();
        assertThat(list.body()).doesNotContain(first.refreshToken()).doesNotContain(second.refreshToken());
        assertThat(list.json().path("items").get(0).path("current").asBoolean()).as("the newest is the caller's own").isTrue();
        assertThat(list.json().path("items").get(1).path("current").asBoolean()).isFalse();
        ApiResponse fromFirst = api.get("/me/sessions").bearer(first.accessToken()).send();
        assertThat(fromFirst.json().path("items").get(1).path("current").asBoolean()).as("the first login's token marks its own").isTrue();

        assertThat(api.post("/auth/logout").json(Map.of("refreshToken", first.refreshToken())).send().status()).isEqualTo(204);
        assertThat(api.get("/me/sessions").bearer(second.accessToken()).send().json().path("items")).hasSize(1);
    }

    @Test
    void signOutEverywhere_endsEverySessionAndRefusesOlderTokensAtOnce() throws InterruptedException {
        Requires.authorizerCacheOff();
        TestUser user = TestUsers.confirmed("everywhere");
        Tokens phone = user.login();
        Tokens laptop = user.login();

        ApiResponse out = api.post("/me/sign-out-everywhere").bearer(laptop.accessToken()).send();
        assertThat(out.status()).as(out.toString()).isEqualTo(204);

        assertProblem(api.get("/me").bearer(phone.accessToken()).send(), 401, "Unauthorized");
        assertProblem(api.get("/me").bearer(laptop.accessToken()).send(), 401, "Unauthorized");
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", phone.refreshToken())).send().status()).isEqualTo(401);
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", laptop.refreshToken())).send().status()).isEqualTo(401);

        String fresh = user.login().accessToken();
        assertThat(api.get("/me").bearer(fresh).send().status()).isEqualTo(200);
    }

    @Test
    void deleteMe_removesAccountProfileAndSessions() {
        Requires.authorizerCacheOff();
        Requires.admin();
        Requires.sendsEmail(); // signs the freed address up again
        TestUser user = TestUsers.confirmed("goodbye");
        Tokens tokens = user.login();
        String id = api.get("/me").bearer(tokens.accessToken()).send().json().path("id").asText();

        ApiResponse deleted = api.delete("/me").bearer(tokens.accessToken()).send();
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);

        assertProblem(api.get("/me").bearer(tokens.accessToken()).send(), 401, "Unauthorized");
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", tokens.refreshToken())).send().status()).isEqualTo(401);
        assertProblem(api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send(),
                401, "InvalidCredentials");
        assertProblem(api.get("/users/" + id).bearer(Admins.token()).send(), 404, "NotFound");

        // the address is free again
        assertThat(api.post("/auth/sign-up").json(Map.of("email", user.email(), "password", user.password())).send().status())
                .isEqualTo(202);
    }

    @Test
    void b13_meUsesTheTokensSub_neverAQueryOrBodyField() {
        String mine = TestUsers.confirmed("own").login().accessToken();
        TestUser other = TestUsers.confirmed("other");
        String otherId = api.get("/me").bearer(other.login().accessToken()).send().json().path("id").asText();

        ApiResponse me = api.get("/me?sub=" + otherId + "&id=" + otherId).bearer(mine).send();
        assertThat(me.json().path("id").asText()).isNotEqualTo(otherId);
        assertThat(me.json().path("email").asText()).isNotEqualTo(other.email());
    }
}
