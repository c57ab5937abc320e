package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.activity.ActivityItem;
import dev.userapi.core.activity.ActivityRepository;
import dev.userapi.core.attempts.AttemptLimiter;
import dev.userapi.core.attempts.AttemptPolicy;
import dev.userapi.core.attempts.MemoryAttemptStore;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.InvalidPasswordException;
import dev.userapi.core.problem.ServiceUnavailableException;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * Failed sign-ins in the security activity (issue 18): an address with an account gets a {@code SIGN_IN_FAILED}
 * item keyed by its sub; an unknown address gets none, after the same look-up, within the same uniform time.
 */
class ActivityTest {
    private static final long FLOOR = 100_000_000L;
    private static final Instant NOW = Instant.parse("2026-11-22T09:15:00Z");
    private static final ClientInfo CLIENT = new ClientInfo("203.0.113.7", "Firefox");

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final List<Long> waits = new ArrayList<>();
    private final CognitoGateway cognito = mock(CognitoGateway.class);
    private final UserRepository users = mock(UserRepository.class);
    private final ActivityRepository repository = mock(ActivityRepository.class);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AppConfig config = AppConfig.from(Map.of("AWS_REGION", "us-east-1", "TABLE_NAME", "users", "ROLES", "user,admin"));
    private final AuthService auth = new AuthService(cognito, users, mock(SessionRepository.class),
            new Provisioning(users, config, clock),
            new UniformTiming(Duration.ofNanos(FLOOR), now::get, waits::add), clock,
            new AttemptLimiter(new MemoryAttemptStore(), AttemptPolicy.STANDARD, clock), new Activity(repository, users, clock));

    @Test
    void aWrongPassword_atAnAccount_recordsSignInFailed_underItsSub() {
        when(cognito.login("ada@example.com", "wrong")).thenThrow(new InvalidPasswordException("x"));
        when(users.idOfEmail("ada@example.com")).thenReturn(Optional.of("sub-ada"));

        assertThatThrownBy(() -> auth.login("ada@example.com", "wrong", CLIENT)).isInstanceOf(InvalidCredentialsException.class);

        ArgumentCaptor<ActivityItem> item = ArgumentCaptor.forClass(ActivityItem.class);
        verify(repository).record(eq("sub-ada"), item.capture());
        assertThat(item.getValue()).isEqualTo(new ActivityItem(NOW, ActivityEvent.SIGN_IN_FAILED, "203.0.113.7", "Firefox"));
    }

    @Test
    void anUnknownAddress_getsNoItem_afterTheSameLookUp_withinTheSameUniformTime() {
        doAnswer(call -> {
            now.addAndGet(3_000_000);
            throw new UserNotFoundException();
        }).when(cognito).login(eq("nobody@example.com"), anyString());
        doAnswer(call -> {
            now.addAndGet(3_000_000);
            throw new InvalidPasswordException("x");
        }).when(cognito).login(eq("ada@example.com"), anyString());
        doAnswer(call -> {
            now.addAndGet(2_000_000);
            return Optional.empty();
        }).when(users).idOfEmail("nobody@example.com");
        doAnswer(call -> {
            now.addAndGet(2_000_000);
            return Optional.of("sub-ada");
        }).when(users).idOfEmail("ada@example.com");

        assertThatThrownBy(() -> auth.login("nobody@example.com", "pw", CLIENT)).isInstanceOf(InvalidCredentialsException.class);
        assertThatThrownBy(() -> auth.login("ada@example.com", "pw", CLIENT)).isInstanceOf(InvalidCredentialsException.class);

        verify(users).idOfEmail("nobody@example.com");
        verify(repository, never()).record(eq("nobody@example.com"), any());
        verify(repository).record(eq("sub-ada"), any());
        verify(repository, org.mockito.Mockito.times(1)).record(anyString(), any());
        // both padded to the floor: the look-up and the write happen inside the uniform time
        assertThat(waits).containsExactly(FLOOR - 5_000_000, FLOOR - 5_000_000);
    }

    @Test
    void aFailureToRecord_neverChangesTheAnswer() {
        when(cognito.login("ada@example.com", "wrong")).thenThrow(new InvalidPasswordException("x"));
        when(users.idOfEmail("ada@example.com")).thenReturn(Optional.of("sub-ada"));
        doThrow(new ServiceUnavailableException("down")).when(repository).record(anyString(), any());

        assertThatThrownBy(() -> auth.login("ada@example.com", "wrong", CLIENT)).isInstanceOf(InvalidCredentialsException.class);

        when(users.idOfEmail("ada@example.com")).thenThrow(new ServiceUnavailableException("down"));
        assertThatThrownBy(() -> auth.login("ada@example.com", "wrong", CLIENT)).isInstanceOf(InvalidCredentialsException.class);
    }
}
