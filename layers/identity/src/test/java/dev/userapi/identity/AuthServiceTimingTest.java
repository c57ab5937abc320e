package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.ExpiredCodeException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code /auth/confirm} and {@code /auth/reset-password} take the same time whatever the account's
 * state (finding 11 of issue 16: about 5 ms told them apart): every refusal is padded to the floor.
 * The padding is shown on an injected clock, as {@link UniformTimingTest} does, so no timing is measured.
 */
class AuthServiceTimingTest {
    private static final long FLOOR = 100_000_000L;
    private static final String SUB = "3b1f8c9e-2d4a-4f7b-9c1e-5a6b7c8d9e0f";
    private static final String EMAIL = "someone@example.com";

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final List<Long> waits = new ArrayList<>();
    private final CognitoGateway cognito = mock(CognitoGateway.class);
    private final UserRepository users = mock(UserRepository.class);
    private final AppConfig config = AppConfig.from(Map.of("AWS_REGION", "us-east-1", "TABLE_NAME", "users", "ROLES", "user,admin"));
    private final AuthService auth = new AuthService(cognito, users, mock(SessionRepository.class),
            new Provisioning(users, config, Clock.systemUTC()),
            new UniformTiming(Duration.ofNanos(FLOOR), now::get, waits::add), Clock.systemUTC());

    /** Cognito takes {@code millis} and then refuses with {@code refusal}. */
    private RuntimeException after(long millis, RuntimeException refusal) {
        now.addAndGet(millis * 1_000_000);
        return refusal;
    }

    @Test
    void confirm_everyRefusal_isPaddedToTheSameFloor_whateverTheAccountsState() {
        List<RuntimeException> refusals = List.of(new UserNotFoundException(), new InvalidCredentialsException(),
                new CodeMismatchException(), new ExpiredCodeException());
        long[] cognitoMillis = {1, 6, 3, 4};
        for (int i = 0; i < refusals.size(); i++) {
            RuntimeException refusal = refusals.get(i);
            long millis = cognitoMillis[i];
            doAnswer(call -> {
                throw after(millis, refusal);
            }).when(cognito).confirmSignUp(anyString(), anyString());

            assertThatThrownBy(() -> auth.confirm(EMAIL, "123456", "Correct-Horse-42!", new ClientInfo("203.0.113.7", "ua")))
                    .isInstanceOf(CodeMismatchException.class);
        }

        assertThat(waits).containsExactly(FLOOR - 1_000_000, FLOOR - 6_000_000, FLOOR - 3_000_000, FLOOR - 4_000_000);
    }

    @Test
    void resetPassword_unknownDisabledAndWrongCode_arePaddedToTheSameFloor() {
        doAnswer(call -> {
            throw after(2, new UserNotFoundException());
        }).when(cognito).adminGetUser(EMAIL);
        assertThatThrownBy(() -> auth.resetPassword(EMAIL, "123456", "Correct-Horse-42!", new ClientInfo("203.0.113.7", "ua"))).isInstanceOf(CodeMismatchException.class);

        doAnswer(call -> {
            now.addAndGet(3_000_000);
            return new CognitoUser(SUB, Map.of("sub", SUB), true, "CONFIRMED", false);
        }).when(cognito).adminGetUser(EMAIL);
        when(users.findRecord(SUB)).thenReturn(Optional.of(new UserRecord(SUB, UserStatus.DISABLED, List.of("user"), OptionalLong.empty())));
        assertThatThrownBy(() -> auth.resetPassword(EMAIL, "123456", "Correct-Horse-42!", new ClientInfo("203.0.113.7", "ua"))).isInstanceOf(CodeMismatchException.class);

        when(users.findRecord(SUB)).thenReturn(Optional.of(new UserRecord(SUB, UserStatus.ENABLED, List.of("user"), OptionalLong.empty())));
        doAnswer(call -> {
            throw after(5, new CodeMismatchException());
        }).when(cognito).confirmForgotPassword(anyString(), anyString(), anyString());
        assertThatThrownBy(() -> auth.resetPassword(EMAIL, "123456", "Correct-Horse-42!", new ClientInfo("203.0.113.7", "ua"))).isInstanceOf(CodeMismatchException.class);

        assertThat(waits).containsExactly(FLOOR - 2_000_000, FLOOR - 3_000_000, FLOOR - 8_000_000);
    }
}
