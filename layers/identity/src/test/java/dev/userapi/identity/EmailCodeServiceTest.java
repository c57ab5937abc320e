package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.attempts.AttemptLimiter;
import dev.userapi.core.attempts.AttemptPolicy;
import dev.userapi.core.attempts.MemoryAttemptStore;
import dev.userapi.core.mail.MailKind;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.MfaRequiredException;
import dev.userapi.core.problem.TooManyRequestsException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    private final List<String> sentCodes = new ArrayList<>();
    private final List<MailKind> sentKinds = new ArrayList<>();

    private EmailCodeService service() {
        when(cognito.clientSecret()).thenReturn(Optional.of("secret-one"));
        return new EmailCodeService(cognito, new SignIn(cognito, mock(UserRepository.class), mock(SessionRepository.class), null, clock),
                Activity.NONE, new UniformTiming(Duration.ZERO), new AttemptLimiter(new MemoryAttemptStore(), AttemptPolicy.STANDARD, clock),
                (to, kind, subject, text, code) -> {
                    sentKinds.add(kind);
                    sentCodes.add(code);
                });
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
            assertThatThrownBy(() -> service.verify("ada@example.com", session, wrong, CLIENT)).isInstanceOf(CodeMismatchException.class);
        }

        assertThatThrownBy(() -> service.verify("ada@example.com", session, code, CLIENT)).isInstanceOf(TooManyRequestsException.class);
    }
}
