package dev.userapi.identity;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.Caller;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.Session;
import dev.userapi.core.user.SessionRepository;
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

/**
 * What ends a user's sessions or resets their password is in the user's own activity ({@code GET /me/activity}): an
 * administrator's reset, sign-out and disable, and the user's own sign-out of one session.
 */
class SessionEndActivityTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final String ADA = "2b1f4a8e-0000-4000-8000-000000000001";
    private static final Caller ADMIN = new Caller("9c1f4a8e-0000-4000-8000-000000000009", "admin", Set.of("admin", "user"), NOW.getEpochSecond());

    private final CognitoGateway cognito = mock(CognitoGateway.class);
    private final UserRepository users = mock(UserRepository.class);
    private final SessionRepository sessions = mock(SessionRepository.class);
    private final Activity activity = mock(Activity.class);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private AdminService admin() {
        return new AdminService(cognito, users, sessions, mock(AuditRepository.class), null, null, mock(AppConfig.class), clock, activity);
    }

    @Test
    void anAdministratorsPasswordReset_isPasswordResetAndSessionRevoked_inTheUsersActivity() {
        when(users.find(ADA)).thenReturn(Optional.of(new UserProfile(ADA, "ada@example.com", null, null, null, null, List.of("user"),
                UserStatus.ENABLED, false, NOW, NOW, 1)));

        admin().resetPassword(ADMIN, ADA);

        verify(activity).record(eq(ADA), eq(ActivityEvent.PASSWORD_RESET), isNull());
        verify(activity).record(eq(ADA), eq(ActivityEvent.SESSION_REVOKED), isNull());
    }

    @Test
    void anAdministratorsSignOut_isSessionRevoked_inTheUsersActivity() {
        admin().signOut(ADMIN, ADA);

        verify(activity).record(eq(ADA), eq(ActivityEvent.SESSION_REVOKED), isNull());
    }

    @Test
    void disablingAnAccount_isSessionRevoked_inTheUsersActivity() {
        admin().disable(ADMIN, ADA);

        verify(activity).record(eq(ADA), eq(ActivityEvent.SESSION_REVOKED), isNull());
    }

    @Test
    void signingOut_isSessionRevoked_withWhereTheRequestCameFrom_onlyForAKnownSession() {
        AuthService auth = new AuthService(cognito, users, sessions, null, new UniformTiming(Duration.ZERO), clock,
                null, activity);
        ClientInfo client = new ClientInfo("203.0.113.7", "test");
        when(sessions.find(SessionRepository.hash("refresh-token"))).thenReturn(Optional.of(new Session(
                SessionRepository.hash("refresh-token"), "s1", ADA, NOW, NOW, "203.0.113.7", "test", "origin-1")));

        auth.logout("refresh-token", client);
        auth.logout("unknown-token", client);

        verify(activity).record(ADA, ActivityEvent.SESSION_REVOKED, client);
        verify(activity, never()).record(anyString(), eq(ActivityEvent.SESSION_REVOKED), isNull());
        verify(users).revokeSession(eq(ADA), eq("origin-1"), any(Long.class));
    }
}
