package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.attempts.AttemptLimiter;
import dev.userapi.core.attempts.AttemptPolicy;
import dev.userapi.core.attempts.MemoryAttemptStore;
import dev.userapi.core.email.EmailChangeRepository;
import dev.userapi.core.email.PendingEmailChange;
import dev.userapi.core.http.Caller;
import dev.userapi.core.mail.MailKind;
import dev.userapi.core.mail.Mailer;
import dev.userapi.core.problem.AccountExistsException;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.InvalidPasswordException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/** The e-mail change (issue 18) with Cognito, DynamoDB and the mail port mocked. */
class EmailChangeServiceTest {
    private static final String SUB = "3b1f8c9e-2d4a-4f7b-9c1e-5a6b7c8d9e0f";
    private static final Instant NOW = Instant.parse("2026-11-22T09:15:00Z");
    private static final ClientInfo CLIENT = new ClientInfo("203.0.113.7", "Firefox");
    private static final Caller CALLER = new Caller(SUB, SUB, Set.of("user"));

    private final CognitoGateway cognito = mock(CognitoGateway.class);
    private final UserRepository users = mock(UserRepository.class);
    private final EmailChangeRepository pending = mock(EmailChangeRepository.class);
    private final Mailer mailer = mock(Mailer.class);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final EmailChangeService service = new EmailChangeService(cognito, users, pending, mailer,
            new AttemptLimiter(new MemoryAttemptStore(), AttemptPolicy.STANDARD, clock), new UniformTiming(Duration.ZERO),
            Activity.NONE, clock);

    EmailChangeServiceTest() {
        when(users.find(SUB)).thenReturn(Optional.of(new UserProfile(SUB, "ada@example.com", null, null, null, null, List.of("user"),
                UserStatus.ENABLED, false, NOW, NOW, 3)));
    }

    @Test
    void start_withAWrongPassword_is403_andStoresAndSendsNothing() {
        when(cognito.login("ada@example.com", "wrong")).thenThrow(new InvalidPasswordException("x"));

        assertThatThrownBy(() -> service.start(CALLER, "new@example.com", "wrong", CLIENT)).isInstanceOf(InvalidCredentialsException.class)
                .satisfies(e -> assertThat(((InvalidCredentialsException) e).status()).isEqualTo(403));

        verify(pending, never()).put(any());
        verify(mailer, never()).send(anyString(), any(), anyString(), anyString(), any());
    }

    @Test
    void start_toAFreeAddress_storesAHashedCode_mailsItToTheNewAddress_andANoticeToTheOld() {
        when(cognito.login("ada@example.com", "pw")).thenReturn(new AuthOutcome.Challenge("SOFTWARE_TOKEN_MFA", "s"));
        when(cognito.adminGetUser("new@example.com")).thenThrow(new UserNotFoundException());

        service.start(CALLER, "new@example.com", "pw", CLIENT);

        ArgumentCaptor<PendingEmailChange> stored = ArgumentCaptor.forClass(PendingEmailChange.class);
        verify(pending).put(stored.capture());
        ArgumentCaptor<String> code = ArgumentCaptor.forClass(String.class);
        verify(mailer).send(eq("new@example.com"), eq(MailKind.EMAIL_CHANGE), anyString(), anyString(), code.capture());
        verify(mailer).send(eq("ada@example.com"), eq(MailKind.EMAIL_CHANGE_NOTICE), anyString(), anyString(), isNull());
        assertThat(code.getValue()).matches("[0-9]{8}");
        assertThat(stored.getValue().newEmail()).isEqualTo("new@example.com");
        assertThat(stored.getValue().codeHash()).doesNotContain(code.getValue());
        assertThat(stored.getValue().matches(code.getValue())).isTrue();
        assertThat(stored.getValue().expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        verify(users, never()).changeEmail(anyString(), anyString());
    }

    @Test
    void start_toATakenAddress_sendsOnlyTheNotice_andStoresNothing() {
        when(cognito.login("ada@example.com", "pw")).thenReturn(new AuthOutcome.Challenge("SOFTWARE_TOKEN_MFA", "s"));
        when(cognito.adminGetUser("taken@example.com")).thenReturn(mock(CognitoUser.class));

        service.start(CALLER, "taken@example.com", "pw", CLIENT);

        verify(pending, never()).put(any());
        verify(mailer, never()).send(eq("taken@example.com"), any(), anyString(), anyString(), any());
        verify(mailer).send(eq("ada@example.com"), eq(MailKind.EMAIL_CHANGE_NOTICE), anyString(), anyString(), isNull());
    }

    @Test
    void verify_withAWrongOrExpiredCode_isCodeMismatch_andChangesNothing() {
        when(pending.find(SUB)).thenReturn(Optional.of(PendingEmailChange.of(SUB, "new@example.com", "12345678", NOW.plusSeconds(60))));
        assertThatThrownBy(() -> service.verify(CALLER, "87654321", CLIENT)).isInstanceOf(CodeMismatchException.class);
        when(pending.find(SUB)).thenReturn(Optional.of(PendingEmailChange.of(SUB, "new@example.com", "12345678", NOW)));
        assertThatThrownBy(() -> service.verify(CALLER, "12345678", CLIENT)).isInstanceOf(CodeMismatchException.class);
        when(pending.find(SUB)).thenReturn(Optional.empty());
        assertThatThrownBy(() -> service.verify(CALLER, "12345678", CLIENT)).isInstanceOf(CodeMismatchException.class);

        verify(cognito, never()).adminSetVerifiedEmail(anyString(), anyString());
        verify(users, never()).changeEmail(anyString(), anyString());
    }

    @Test
    void verify_withTheCode_setsCognitoThenTheProfile_thenDropsThePendingChange() {
        when(pending.find(SUB)).thenReturn(Optional.of(PendingEmailChange.of(SUB, "new@example.com", "12345678", NOW.plusSeconds(60))));

        service.verify(CALLER, "12345678", CLIENT);

        InOrder order = inOrder(cognito, users, pending);
        order.verify(cognito).adminSetVerifiedEmail(SUB, "new@example.com");
        order.verify(users).changeEmail(SUB, "new@example.com");
        order.verify(pending).delete(SUB);
    }

    @Test
    void verify_whenTheAddressWasTakenMeanwhile_is409_andTheProfileStays() {
        when(pending.find(SUB)).thenReturn(Optional.of(PendingEmailChange.of(SUB, "new@example.com", "12345678", NOW.plusSeconds(60))));
        doThrow(new AccountExistsException()).when(cognito).adminSetVerifiedEmail(SUB, "new@example.com");

        assertThatThrownBy(() -> service.verify(CALLER, "12345678", CLIENT)).isInstanceOf(ConflictException.class);

        verify(users, never()).changeEmail(anyString(), anyString());
        verify(pending).delete(SUB);
    }
}
