package dev.userapi.e2e.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Jwt;
import dev.userapi.e2e.client.Tokens;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public account life cycle over HTTP, against cognito-local and DynamoDB Local. */
class AuthFlowIT {
    private final ApiClient api = Target.get().api();
    private final OutboxClient outbox = Target.get().outbox();

    @Test
    void signUp_confirm_login_me_refresh_logout_thenRefreshFails() {
        Requires.outbox();
        String email = TestUsers.uniqueEmail("flow");
        String password = TestUsers.PASSWORD;

        ApiResponse signUp = api.post("/auth/sign-up").json(Map.of("email", email, "password", password, "name", "Flo")).send();
        assertThat(signUp.status()).as(signUp.toString()).isEqualTo(202);
        assertThat(signUp.json().path("status").asText()).isEqualTo("CONFIRMATION_PENDING");

        String code = outbox.latestCode(email, "SIGN_UP");
        assertThat(code).matches("\\d{6}");
        ApiResponse confirm = api.post("/auth/confirm").json(Map.of("email", email, "code", code, "password", password)).send();
        assertThat(confirm.status()).as(confirm.toString()).isEqualTo(200);
        assertThat(confirm.json().path("accessToken").asText()).as("confirming answers as a login does").isNotEmpty();
        assertThat(confirm.json().path("refreshToken").asText()).isNotEmpty();

        ApiResponse login = api.post("/auth/login").json(Map.of("email", email, "password", password)).send();
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String accessToken = login.json().path("accessToken").asText();
        String refreshToken = login.json().path("refreshToken").asText();
        assertThat(accessToken).isNotBlank();
        assertThat(refreshToken).isNotBlank();
        assertThat(login.json().path("tokenType").asText()).isEqualTo("Bearer");

        ApiResponse me = api.get("/me").bearer(accessToken).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().path("email").asText()).isEqualTo(email);
        assertThat(me.header("ETag")).isPresent();

        ApiResponse refresh = api.post("/auth/refresh").json(Map.of("refreshToken", refreshToken)).send();
        assertThat(refresh.status()).as(refresh.toString()).isEqualTo(200);
        assertThat(refresh.json().path("accessToken").asText()).isNotBlank();
        assertThat(refresh.json().has("refreshToken")).isFalse();

        ApiResponse logout = api.post("/auth/logout").json(Map.of("refreshToken", refreshToken)).send();
        assertThat(logout.status()).as(logout.toString()).isEqualTo(204);

        ApiResponse refreshAfterLogout = api.post("/auth/refresh").json(Map.of("refreshToken", refreshToken)).send();
        assertThat(refreshAfterLogout.status()).as(refreshAfterLogout.toString()).isEqualTo(401);
        assertThat(refreshAfterLogout.contentType()).startsWith("application/problem+json");
    }

    @Test
    void login_idTokenCarriesTheRolesStampedByThePreTokenGenerationTrigger() {
        TestUser user = TestUsers.confirmed("roles");

        JsonNode claims = Jwt.claims(user.login().idToken());

        // cognito-local calls PreTokenGenerationFunction with the V2 event the pool is configured for
        assertThat(claims.path("roles").toString()).contains("user");
        assertThat(claims.path("roles").toString()).doesNotContain("admin");
    }

    @Test
    void seededAdministrator_signsIn_withTheAdminRole_andCanListUsers() {
        TestUser admin = Admins.bootstrap();

        Tokens tokens = admin.login();

        assertThat(Jwt.claims(tokens.idToken()).path("roles").toString()).contains("admin");
        ApiResponse users = api.get("/users?limit=5").bearer(tokens.accessToken()).send();
        assertThat(users.status()).as(users.toString()).isEqualTo(200);
        assertThat(users.json().path("items").isArray()).isTrue();
    }

    @Test
    void ordinaryUser_onAnAdminRoute_gets403FromTheGateway() {
        Tokens tokens = TestUsers.confirmed("notadmin").login();

        ApiResponse response = api.get("/users").bearer(tokens.accessToken()).origin(Target.get().origin()).send();

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.json().path("code").asText()).isEqualTo("Forbidden");
        assertThat(response.header("Access-Control-Allow-Origin")).contains(Target.get().gatewayAllowOrigin());
    }

    @Test
    void login_whenPasswordWrong_returns401InvalidCredentials_likeAnUnknownAccount() {
        TestUser user = TestUsers.confirmed("wrongpw");

        ApiResponse wrong = api.post("/auth/login").json(Map.of("email", user.email(), "password", "Wr0ng-Password!x")).send();
        ApiResponse unknown = api.post("/auth/login")
                .json(Map.of("email", TestUsers.uniqueEmail("ghost"), "password", "Wr0ng-Password!x")).send();

        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
        assertThat(wrong.json().path("code").asText()).isEqualTo("InvalidCredentials");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().path("code").asText()).isEqualTo("InvalidCredentials");
    }

    @Test
    void login_beforeConfirmation_returns403UserNotConfirmed() {
        TestUser user = TestUsers.signedUp("unconfirmed");

        ApiResponse response = api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send();

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.json().path("code").asText()).isEqualTo("UserNotConfirmed");
    }

    @Test
    void resendCode_deliversAFreshCodeThatConfirms() {
        Requires.outbox();
        TestUser user = TestUsers.signedUp("resend");
        String first = outbox.latestCode(user.email(), "SIGN_UP");

        ApiResponse resend = api.post("/auth/resend-code").json(Map.of("email", user.email())).send();
        assertThat(resend.status()).as(resend.toString()).isEqualTo(202);
        String fresh = outbox.latestCode(user.email(), "RESEND_CODE");

        ApiResponse stale = api.post("/auth/confirm").json(Map.of("email", user.email(), "code", first, "password", user.password())).send();
        if (!first.equals(fresh)) {
            assertThat(stale.status()).as("the first code is replaced").isEqualTo(400);
        }
        ApiResponse confirm = api.post("/auth/confirm").json(Map.of("email", user.email(), "code", fresh, "password", user.password())).send();
        assertThat(confirm.status()).as(confirm.toString()).isEqualTo(200);
    }

    @Test
    void signUp_withPasswordBreakingThePolicy_returns400InvalidPassword() {
        ApiResponse response = api.post("/auth/sign-up")
                .json(Map.of("email", TestUsers.uniqueEmail("weak"), "password", "alllowercase-but-long")).send();

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().path("code").asText()).isEqualTo("InvalidPassword");
    }

    @Test
    void confirm_withWrongCode_returns400CodeMismatch() {
        Requires.outbox();
        TestUser user = TestUsers.signedUp("badcode");
        String code = outbox.latestCode(user.email(), "SIGN_UP");
        String wrong = code.equals("000000") ? "111111" : "000000";

        ApiResponse response = api.post("/auth/confirm").json(Map.of("email", user.email(), "code", wrong, "password", user.password())).send();

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().path("code").asText()).isEqualTo("CodeMismatch");
    }

    @Test
    void forgotPassword_resetPassword_thenNewPasswordSignsIn() {
        Requires.outbox();
        TestUser user = TestUsers.confirmed("reset");
        String newPassword = "N3w-Password-After-Reset!";

        ApiResponse forgot = api.post("/auth/forgot-password").json(Map.of("email", user.email())).send();
        assertThat(forgot.status()).as(forgot.toString()).isEqualTo(202);
        String code = outbox.latestCode(user.email(), "FORGOT_PASSWORD");

        ApiResponse reset = api.post("/auth/reset-password")
                .json(Map.of("email", user.email(), "code", code, "newPassword", newPassword)).send();
        assertThat(reset.status()).as(reset.toString()).isEqualTo(200);

        assertThat(api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send().status())
                .isEqualTo(401);
        assertThat(api.post("/auth/login").json(Map.of("email", user.email(), "password", newPassword)).send().status())
                .isEqualTo(200);
    }

    @Test
    void forgotPassword_forUnknownAccount_answersLikeAKnownOne() {
        ApiResponse response = api.post("/auth/forgot-password").json(Map.of("email", TestUsers.uniqueEmail("nobody"))).send();

        assertThat(response.status()).isEqualTo(202);
    }
}
