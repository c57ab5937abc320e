package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Totp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sign-in with an e-mailed one-time code (issue 18 item 2): the code arrives (outbox kind {@code EMAIL_OTP}) and signs
 * in once, as a sign-in like any other; a wrong code is 401 {@code CodeMismatch}; guesses are limited (429); an
 * unknown address gets the same answers as an account; an account with TOTP on is told 403 {@code MfaRequired} only
 * after the right code.
 */
class EmailCodesIT {
    private final ApiClient api = Target.get().api();
    private final OutboxClient outbox = Target.get().outbox();

    private ApiResponse start(String email) {
        return api.post("/auth/login/email-code").json(Map.of("email", email)).send();
    }

    private ApiResponse verify(String email, String session, String code) {
        return api.post("/auth/login/email-code/verify").json(Map.of("email", email, "session", session, "code", code)).send();
    }

    private static String otherThan(String code) {
        return code.equals("00000000") ? "11111111" : "00000000";
    }

    @Test
    void theCode_signsIn_once_asASessionWithActivity() {
        TestUser user = TestUsers.confirmed("email-code");
        ApiResponse started = start(user.email());
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().fieldNames()).toIterable().containsExactly("session");
        String session = started.json().path("session").asText();
        String code = outbox.latestCode(user.email(), "EMAIL_OTP");
        assertThat(code).matches("\\d{8}");

        assertProblem(verify(user.email(), session, otherThan(code)), 401, "CodeMismatch");
        ApiResponse signedIn = verify(user.email(), session, code);

        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
        String token = signedIn.json().path("accessToken").asText();
        assertThat(signedIn.json().path("refreshToken").asText()).isNotBlank();
        assertThat(api.get("/me").bearer(token).send().json().path("email").asText()).isEqualTo(user.email());
        assertThat(api.post("/auth/refresh").json(Map.of("refreshToken", signedIn.json().path("refreshToken").asText())).send().status())
                .isEqualTo(200);
        assertThat(api.get("/me/sessions").bearer(token).send().json().path("items")).hasSize(1);
        List<String> events = new ArrayList<>();
        api.get("/me/activity").bearer(token).send().json().path("items").forEach(i -> events.add(i.path("event").asText()));
        assertThat(events).startsWith("SIGN_IN", "SIGN_IN_FAILED");
        assertThat(verify(user.email(), session, code).status()).as("a used code signs in once").isEqualTo(401);
        ApiResponse swapped = start(user.email());
        String next = outbox.latestCode(user.email(), "EMAIL_OTP");
        assertProblem(verify(TestUsers.uniqueEmail("email-code-swap"), swapped.json().path("session").asText(), next), 401, "CodeMismatch");
    }

    @Test
    void anUnknownAddress_getsTheSameAnswers_asAnAccount() {
        TestUser user = TestUsers.confirmed("email-code-known");
        String unknown = TestUsers.uniqueEmail("email-code-unknown");

        ApiResponse known = start(user.email());
        ApiResponse stranger = start(unknown);

        assertThat(stranger.status()).isEqualTo(known.status()).isEqualTo(200);
        assertThat(stranger.json().fieldNames()).toIterable().containsExactly("session");
        assertThat(stranger.json().path("session").asText()).hasSameSizeAs(known.json().path("session").asText());
        String code = outbox.latestCode(user.email(), "EMAIL_OTP");
        ApiResponse wrongAtAccount = verify(user.email(), known.json().path("session").asText(), otherThan(code));
        ApiResponse atStranger = verify(unknown, stranger.json().path("session").asText(), code);
        assertProblem(wrongAtAccount, 401, "CodeMismatch");
        assertProblem(atStranger, 401, "CodeMismatch");
        assertThat(atStranger.json().path("detail").asText()).isEqualTo(wrongAtAccount.json().path("detail").asText());
        assertThat(outbox.messages(unknown)).as("nothing is sent to an address without an account").isEmpty();
    }

    /**
     * Cognito ends a code's session after three wrong codes; a fake session must end the same way, or its surviving
     * a fourth try tells that the address has no account. Both answers, try by try, are the same problem.
     */
    @Test
    void fourWrongCodes_getTheSameAnswers_forAnAccountAndAnUnknownAddress() {
        TestUser user = TestUsers.confirmed("email-code-tries");
        String unknown = TestUsers.uniqueEmail("email-code-tries-unknown");
        String known = start(user.email()).json().path("session").asText();
        String stranger = start(unknown).json().path("session").asText();
        String wrong = otherThan(outbox.latestCode(user.email(), "EMAIL_OTP"));

        List<String> atAccount = new ArrayList<>();
        List<String> atStranger = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            atAccount.add(problem(verify(user.email(), known, wrong)));
            atStranger.add(problem(verify(unknown, stranger, wrong)));
        }

        assertThat(atStranger).isEqualTo(atAccount);
        assertThat(atAccount.get(2)).startsWith("401 CodeMismatch ");
        assertThat(atAccount.get(3)).as("the session ended at its third wrong code").startsWith("401 InvalidCredentials ");
    }

    /** What an answer says: status, content type, code, title and detail (not the request id). */
    private static String problem(ApiResponse response) {
        return response.status() + " " + response.json().path("code").asText() + " " + response.contentType() + " "
                + response.json().path("title").asText() + " " + response.json().path("detail").asText();
    }

    @Test
    void b29_fiveWrongCodes_thenTheRightOne_is429_forAnAccountAndForAnUnknownAddress() {
        TestUser user = TestUsers.confirmed("b29-email-code");
        String unknown = TestUsers.uniqueEmail("b29-email-code-unknown");
        for (String email : List.of(user.email(), unknown)) {
            for (int i = 0; i < 5; i++) {
                String session = start(email).json().path("session").asText();
                assertThat(verify(email, session, "00000000").status()).as(email + " guess " + i).isEqualTo(401);
            }
        }
        String session = start(user.email()).json().path("session").asText();
        ApiResponse right = verify(user.email(), session, outbox.latestCode(user.email(), "EMAIL_OTP"));
        ApiResponse stranger = verify(unknown, start(unknown).json().path("session").asText(), "12345678");

        for (ApiResponse limited : List.of(right, stranger)) {
            assertProblem(limited, 429, "TooManyRequests");
            assertThat(Integer.parseInt(limited.header("Retry-After").orElseThrow())).isBetween(1, 30);
        }
    }

    @Test
    void aTotpAccount_isToldMfaRequired_onlyAfterTheRightCode() {
        TestUser user = TestUsers.confirmed("email-code-totp");
        String token = user.login().accessToken();
        String secret = api.post("/me/mfa/totp").bearer(token).send().json().path("secretCode").asText();
        assertThat(api.post("/me/mfa/totp/verify").bearer(token).json(Map.of("code", Totp.now(secret))).send().status()).isEqualTo(204);

        ApiResponse started = start(user.email());
        assertThat(started.status()).isEqualTo(200);
        String session = started.json().path("session").asText();
        String code = outbox.latestCode(user.email(), "EMAIL_OTP");

        assertProblem(verify(user.email(), session, otherThan(code)), 401, "CodeMismatch");
        assertProblem(verify(user.email(), session, code), 403, "MfaRequired");
        assertThat(api.get("/me/sessions").bearer(token).send().json().path("items")).as("no session was made").hasSize(1);
    }
}
