package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.attempts.AttemptLimiter;
import dev.userapi.core.attempts.AttemptPolicy;
import dev.userapi.core.attempts.MemoryAttemptStore;
import dev.userapi.core.mail.MailKind;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.MfaRequiredException;
import dev.userapi.core.problem.TooManyRequestsException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.testing.MovableClock;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * E-mail sign-in codes (issue 18 item 2): uniform sessions for unknown addresses, a TOTP account told
 * {@code MfaRequired} only after the right code (which the API sent itself), and guesses limited like passwords.
 */
class EmailCodeServiceTest {
    private static final ClientInfo CLIENT = new ClientInfo("203.0.113.7", "test");
    private final CognitoGateway cognito = mock(CognitoGateway.class);
    private final Instant start = Instant.parse("2026-12-02T10:00:00Z");
    private final MovableClock clock = new MovableClock(start);
    private final List<String> sentCodes = new ArrayList<>();
    private final List<MailKind> sentKinds = new ArrayList<>();

    private EmailCodeService service() {
        when(cognito.clientSecret()).thenReturn(Optional.of("secret-one"));
        return new EmailCodeService(cognito, new SignIn(cognito, mock(UserRepository.class), mock(SessionRepository.class), null, clock),
                Activity.NONE, new UniformTiming(Duration.ZERO), new AttemptLimiter(new MemoryAttemptStore(), AttemptPolicy.STANDARD, clock),
                (to, kind, subject, text, code) -> {
                    sentKinds.add(kind);
                    sentCodes.add(code);
                }, clock);
    }

    @Test
    void anUnknownAddress_getsASessionLikeAnAccounts_andEveryCodeIsWrong() {
        when(cognito.adminGetUser("nobody@example.com")).thenThrow(new UserNotFoundException());
        when(cognito.adminGetUser("ada@example.com")).thenReturn(new CognitoUser("sub-ada", Map.of("sub", "sub-ada"), true, "CONFIRMED", false));
        when(cognito.startEmailCodeSignIn("sub-ada")).thenReturn(new CognitoGateway.AuthChallenge("EMAIL_OTP", Map.of(), "c".repeat(900)));
        EmailCodeService service = service();

        String unknown = (String) service.start("nobody@example.com").get("session");
        String known = (String) service.start("ada@example.com").get("session");

        assertThat(unknown).hasSameSizeAs(known);
        assertThatThrownBy(() -> service.verify("nobody@example.com", unknown, "12345678", CLIENT)).isInstanceOf(CodeMismatchException.class);
        verify(cognito, never()).answerEmailCode(anyString(), anyString(), anyString());
        assertThat(sentCodes).isEmpty();
    }

    @Test
    void aTotpAccount_getsTheApisOwnCode_andIsToldMfaRequired_onlyWithIt() {
        when(cognito.adminGetUser("eve@example.com")).thenReturn(new CognitoUser("sub-eve", Map.of("sub", "sub-eve"), true, "CONFIRMED", true));
        EmailCodeService service = service();

        String session = (String) service.start("eve@example.com").get("session");

        assertThat(sentKinds).containsExactly(MailKind.EMAIL_OTP);
        String code = sentCodes.get(0);
        assertThat(code).matches("\\d{8}");
        String wrong = code.equals("00000000") ? "11111111" : "00000000";
        assertThatThrownBy(() -> service.verify("eve@example.com", session, wrong, CLIENT)).isInstanceOf(CodeMismatchException.class);
        assertThatThrownBy(() -> service.verify("eve@example.com", session, code, CLIENT)).isInstanceOf(MfaRequiredException.class);
        assertThatThrownBy(() -> service.verify("other@example.com", session, code, CLIENT)).as("bound to its address")
                .isInstanceOf(CodeMismatchException.class);
        verify(cognito, never()).startEmailCodeSignIn(anyString());
    }

    @Test
    void fiveWrongCodes_thenEvenTheRightOne_isTooManyRequests() {
        when(cognito.adminGetUser("ada@example.com")).thenReturn(new CognitoUser("sub-ada", Map.of("sub", "sub-ada"), true, "CONFIRMED", true));
        EmailCodeService service = service();
        String session = (String) service.start("ada@example.com").get("session");
        String code = sentCodes.get(0);
        String wrong = code.equals("00000000") ? "11111111" : "00000000";
        for (int i = 0; i < 5; i++) {
            String fresh = (String) service.start("ada@example.com").get("session"); // new sessions: only the limiter counts
            assertThatThrownBy(() -> service.verify("ada@example.com", fresh, wrong, CLIENT)).isInstanceOf(CodeMismatchException.class);
        }

        assertThatThrownBy(() -> service.verify("ada@example.com", session, code, CLIENT)).isInstanceOf(TooManyRequestsException.class);
    }

    /** Cognito ends a session after three wrong codes: the fourth try is refused alike for a real and a fake session. */
    @Test
    void theFourthTryOfASession_isTheSameRefusal_forAKnownAndAnUnknownAddress() {
        when(cognito.adminGetUser("nobody@example.com")).thenThrow(new UserNotFoundException());
        when(cognito.adminGetUser("ada@example.com")).thenReturn(new CognitoUser("sub-ada", Map.of("sub", "sub-ada"), true, "CONFIRMED", false));
        when(cognito.startEmailCodeSignIn("sub-ada")).thenReturn(new CognitoGateway.AuthChallenge("EMAIL_OTP", Map.of(), "c".repeat(900)));
        when(cognito.answerEmailCode(anyString(), anyString(), anyString())).thenThrow(CodeMismatchException.atLogin("Invalid code received for user"));
        EmailCodeService service = service();
        String unknown = (String) service.start("nobody@example.com").get("session");
        String known = (String) service.start("ada@example.com").get("session");
        ClientInfo other = new ClientInfo("203.0.113.8", "test"); // the limiter's counters apart from the sessions'

        List<String> unknownAnswers = new ArrayList<>();
        List<String> knownAnswers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            unknownAnswers.add(answer(() -> service.verify("nobody@example.com", unknown, "12345678", CLIENT)));
            knownAnswers.add(answer(() -> service.verify("ada@example.com", known, "12345678", other)));
        }

        assertThat(unknownAnswers).isEqualTo(knownAnswers).containsExactly("CodeMismatchException: The code is not correct.",
                "CodeMismatchException: The code is not correct.", "CodeMismatchException: The code is not correct.",
                "InvalidCredentialsException: " + EmailCodeService.SESSION_ENDED);
        verify(cognito, times(3)).answerEmailCode(anyString(), anyString(), anyString());
    }

    /** A session older than Cognito's three minutes: the API refuses it itself, the same for a fake one. */
    @Test
    void aSessionOlderThanCognitosLifetime_isTheSameRefusal_forAKnownAndAnUnknownAddress() {
        when(cognito.adminGetUser("nobody@example.com")).thenThrow(new UserNotFoundException());
        when(cognito.adminGetUser("ada@example.com")).thenReturn(new CognitoUser("sub-ada", Map.of("sub", "sub-ada"), true, "CONFIRMED", false));
        when(cognito.startEmailCodeSignIn("sub-ada")).thenReturn(new CognitoGateway.AuthChallenge("EMAIL_OTP", Map.of(), "c".repeat(900)));
        EmailCodeService service = service();
        String unknown = (String) service.start("nobody@example.com").get("session");
        String known = (String) service.start("ada@example.com").get("session");
        ClientInfo other = new ClientInfo("203.0.113.8", "test");

        clock.set(start.plus(EmailCodeService.SESSION_LIFETIME).plusSeconds(1));

        String unknownAnswer = answer(() -> service.verify("nobody@example.com", unknown, "12345678", CLIENT));
        String knownAnswer = answer(() -> service.verify("ada@example.com", known, "12345678", other));
        assertThat(unknownAnswer).isEqualTo(knownAnswer).isEqualTo("InvalidCredentialsException: " + EmailCodeService.SESSION_ENDED);
        verify(cognito, never()).answerEmailCode(anyString(), anyString(), anyString());
    }

    @Test
    void aSessionWithinCognitosLifetime_stillReachesCognito() {
        when(cognito.adminGetUser("ada@example.com")).thenReturn(new CognitoUser("sub-ada", Map.of("sub", "sub-ada"), true, "CONFIRMED", false));
        when(cognito.startEmailCodeSignIn("sub-ada")).thenReturn(new CognitoGateway.AuthChallenge("EMAIL_OTP", Map.of(), "c".repeat(900)));
        when(cognito.answerEmailCode(anyString(), anyString(), anyString())).thenThrow(CodeMismatchException.atLogin("Invalid code received for user"));
        EmailCodeService service = service();
        String known = (String) service.start("ada@example.com").get("session");

        clock.set(start.plus(EmailCodeService.SESSION_LIFETIME).minusSeconds(1));

        assertThatThrownBy(() -> service.verify("ada@example.com", known, "12345678", CLIENT)).isInstanceOf(CodeMismatchException.class);
        verify(cognito).answerEmailCode(anyString(), anyString(), anyString());
    }

    /** Cognito's own "invalid session" (its session ended first) is the API's own answer to an ended session. */
    @Test
    void cognitosInvalidSession_isTheApisSessionEndedAnswer() {
        when(cognito.adminGetUser("ada@example.com")).thenReturn(new CognitoUser("sub-ada", Map.of("sub", "sub-ada"), true, "CONFIRMED", false));
        when(cognito.startEmailCodeSignIn("sub-ada")).thenReturn(new CognitoGateway.AuthChallenge("EMAIL_OTP", Map.of(), "c".repeat(900)));
        when(cognito.answerEmailCode(anyString(), anyString(), anyString()))
                .thenThrow(new InvalidCredentialsException("Invalid session for the user, session is expired."));
        EmailCodeService service = service();
        String known = (String) service.start("ada@example.com").get("session");

        assertThat(answer(() -> service.verify("ada@example.com", known, "12345678", CLIENT)))
                .isEqualTo("InvalidCredentialsException: " + EmailCodeService.SESSION_ENDED);
    }

    private static String answer(Runnable call) {
        try {
            call.run();
            return "no refusal";
        } catch (ApiException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
