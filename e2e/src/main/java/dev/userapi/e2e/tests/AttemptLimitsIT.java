package dev.userapi.e2e.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Totp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Guessing (docs/SECURITY.md item 29), as an attacker tries it: wrong passwords, confirmation and reset
 * codes and TOTP codes, then the right one. The API's own limit answers 429 with a {@code Retry-After} of
 * its first window (at most 30 s); Cognito's lockout, which the local layer also applies, answers with
 * {@code Retry-After: 5}, so the values below show which of the two refused. No test waits for a window:
 * the arithmetic of the windows is {@code AttemptLimiterTest}'s (an injected clock).
 */
class AttemptLimitsIT {
    private static final ApiClient API = Target.get().api();
    private static final String WRONG = "Wr0ng-Horse-Battery!";

    private static ApiResponse login(String email, String password) {
        return API.post("/auth/login").json(Map.of("email", email, "password", password)).send();
    }

    /** A 429 of the API's limiter: TooManyRequests, Retry-After in its first window, longer than Cognito's lockout answer. */
    private static void assertLimited(ApiResponse response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(429);
        assertThat(response.json().path("code").asText()).isEqualTo("TooManyRequests");
        int retryAfter = Integer.parseInt(response.header("Retry-After").orElseThrow());
        assertThat(retryAfter).as("the API's first window (Cognito's lockout answers 5)").isGreaterThan(5).isLessThanOrEqualTo(30);
    }

    /** The body without what differs per request: its id, and the detail that says how many seconds are left. */
    private static JsonNode withoutRequestId(ApiResponse response) {
        ObjectNode body = (ObjectNode) response.json().deepCopy();
        body.remove(List.of("requestId", "detail"));
        return body;
    }

    @Test
    void b29_fiveWrongPasswords_thenTheRightOne_is429WithRetryAfter() {
        TestUser user = TestUsers.confirmed("b29-login");
        for (int i = 0; i < 5; i++) {
            assertThat(login(user.email(), WRONG).status()).isEqualTo(401);
        }

        assertLimited(login(user.email(), user.password()));
    }

    @Test
    void b29_anUnknownAddress_isLimitedAlike_sameStatusBodyAndWindow() {
        TestUser known = TestUsers.confirmed("b29-known");
        String unknown = TestUsers.uniqueEmail("b29-unknown");
        for (int i = 0; i < 5; i++) {
            assertThat(login(known.email(), WRONG).status()).isEqualTo(401);
            assertThat(login(unknown, WRONG).status()).isEqualTo(401);
        }

        ApiResponse knownAnswer = login(known.email(), WRONG);
        ApiResponse unknownAnswer = login(unknown, WRONG);

        assertLimited(knownAnswer);
        assertLimited(unknownAnswer);
        assertThat(withoutRequestId(unknownAnswer)).isEqualTo(withoutRequestId(knownAnswer));
    }

    @Test
    void b29_fourWrongPasswords_thenTheRightOne_signsIn_andTheCountStartsAgain() {
        TestUser user = TestUsers.confirmed("b29-reset-count");
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 4; i++) {
                assertThat(login(user.email(), WRONG).status()).isEqualTo(401);
            }
            ApiResponse right = login(user.email(), user.password());
            assertThat(right.status()).as(right.toString()).isEqualTo(200);
        }
    }

    @Test
    void b29_wrongCurrentPasswords_onMePassword_countWithTheSignInFailures() {
        TestUser user = TestUsers.confirmed("b29-me-password");
        String token = user.login().accessToken();
        for (int i = 0; i < 3; i++) {
            ApiResponse wrong = API.post("/me/password").bearer(token)
                    .json(Map.of("currentPassword", WRONG, "newPassword", "N3w-Horse-Battery!")).send();
            assertThat(wrong.status()).as("wrong current password (401 today, 403 with issue 16's finding 7)").isIn(401, 403);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(login(user.email(), WRONG).status()).isEqualTo(401);
        }

        assertLimited(API.post("/me/password").bearer(token)
                .json(Map.of("currentPassword", user.password(), "newPassword", "N3w-Horse-Battery!")).send());
        assertLimited(login(user.email(), user.password()));
    }

    @Test
    void b29_wrongConfirmationCodes_thenTheRightOne_is429_forAKnownAndAnUnknownAddress() {
        Requires.outbox();
        TestUser user = TestUsers.signedUp("b29-confirm");
        String unknown = TestUsers.uniqueEmail("b29-confirm-unknown");
        String code = new OutboxClient(API).confirmationCode(user.email());
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            assertThat(API.post("/auth/confirm").json(Map.of("email", user.email(), "code", wrong, "password", user.password())).send().status()).isEqualTo(400);
            assertThat(API.post("/auth/confirm").json(Map.of("email", unknown, "code", wrong, "password", user.password())).send().status()).isEqualTo(400);
        }

        ApiResponse right = API.post("/auth/confirm").json(Map.of("email", user.email(), "code", code, "password", user.password())).send();
        ApiResponse unknownAnswer = API.post("/auth/confirm").json(Map.of("email", unknown, "code", code, "password", user.password())).send();

        assertThat(right.status()).as(right.toString()).isEqualTo(429);
        assertLimited(unknownAnswer);
        assertThat(withoutRequestId(unknownAnswer)).isEqualTo(withoutRequestId(right));
    }

    @Test
    void b29_wrongResetCodes_thenTheRightOne_is429_forAKnownAndAnUnknownAddress() {
        Requires.outbox();
        TestUser user = TestUsers.confirmed("b29-reset");
        String unknown = TestUsers.uniqueEmail("b29-reset-unknown");
        assertThat(API.post("/auth/forgot-password").json(Map.of("email", user.email())).send().status()).isEqualTo(202);
        String code = new OutboxClient(API).latestCode(user.email(), "FORGOT_PASSWORD");
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            for (String email : List.of(user.email(), unknown)) {
                ApiResponse r = API.post("/auth/reset-password")
                        .json(Map.of("email", email, "code", wrong, "newPassword", "N3w-Horse-Battery!")).send();
                assertThat(r.status()).as(r.toString()).isEqualTo(400);
            }
        }

        ApiResponse right = API.post("/auth/reset-password")
                .json(Map.of("email", user.email(), "code", code, "newPassword", "N3w-Horse-Battery!")).send();
        ApiResponse unknownAnswer = API.post("/auth/reset-password")
                .json(Map.of("email", unknown, "code", code, "newPassword", "N3w-Horse-Battery!")).send();

        assertThat(right.status()).as(right.toString()).isEqualTo(429);
        assertLimited(unknownAnswer);
        assertThat(login(user.email(), "N3w-Horse-Battery!").status()).as("the reset did not happen").isEqualTo(401);
    }

    @Test
    void b29_fiveWrongTotpCodes_thenTheRightOne_is429() {
        TestUser user = TestUsers.confirmed("b29-totp");
        String token = user.login().accessToken();
        String secret = API.post("/me/mfa/totp").bearer(token).send().json().path("secretCode").asText();
        assertThat(API.post("/me/mfa/totp/verify").bearer(token).json(Map.of("code", Totp.now(secret))).send().status()).isEqualTo(204);
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // sessions first: each sign-in step is a right password
            ApiResponse challenge = login(user.email(), user.password());
            assertThat(challenge.json().path("challenge").asText()).as(challenge.toString()).isEqualTo("SOFTWARE_TOKEN_MFA");
            sessions.add(challenge.json().path("session").asText());
        }
        for (int i = 0; i < 5; i++) {
            ApiResponse wrong = API.post("/auth/login/mfa")
                    .json(Map.of("email", user.email(), "session", sessions.get(i), "code", Totp.wrong(secret))).send();
            assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
        }

        assertLimited(API.post("/auth/login/mfa")
                .json(Map.of("email", user.email(), "session", sessions.get(5), "code", Totp.now(secret))).send());
    }

    @Test
    void b29_fiveWrongPasswords_onMeEmail_thenTheRightOne_is429_andNoCodeIsSent() {
        Requires.outbox();
        TestUser user = TestUsers.confirmed("b29-me-email");
        String token = user.login().accessToken();
        String newEmail = TestUsers.uniqueEmail("b29-me-email-new");
        for (int i = 0; i < 5; i++) {
            ApiResponse wrong = API.post("/me/email").bearer(token).json(Map.of("newEmail", newEmail, "password", WRONG)).send();
            assertThat(wrong.status()).as(wrong.toString()).isEqualTo(403);
            assertThat(wrong.json().path("code").asText()).isEqualTo("InvalidCredentials");
        }

        assertLimited(API.post("/me/email").bearer(token).json(Map.of("newEmail", newEmail, "password", user.password())).send());
        assertThat(new OutboxClient(API).messages(newEmail)).as("no code went to the new address").isEmpty();
        assertLimited(login(user.email(), user.password())); // one counter for the account's password, whichever route guesses
    }

    @Test
    void b29_fiveWrongCodes_onMeEmailVerify_thenTheRightOne_is429_andTheAddressStays() {
        Requires.outbox();
        TestUser user = TestUsers.confirmed("b29-me-email-verify");
        String token = user.login().accessToken();
        String newEmail = TestUsers.uniqueEmail("b29-me-email-verify-new");
        ApiResponse started = API.post("/me/email").bearer(token).json(Map.of("newEmail", newEmail, "password", user.password())).send();
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String code = new OutboxClient(API).latestCode(newEmail, "EMAIL_CHANGE");
        String wrong = code.equals("00000000") ? "11111111" : "00000000";
        for (int i = 0; i < 5; i++) {
            ApiResponse answer = API.post("/me/email/verify").bearer(token).json(Map.of("code", wrong)).send();
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.json().path("code").asText()).isEqualTo("CodeMismatch");
        }

        assertLimited(API.post("/me/email/verify").bearer(token).json(Map.of("code", code)).send());
        assertThat(API.get("/me").bearer(token).send().json().path("email").asText()).as("the address did not change")
                .isEqualTo(user.email());
        assertThat(login(newEmail, user.password()).status()).as("the new address does not sign in").isEqualTo(401);
    }
}
