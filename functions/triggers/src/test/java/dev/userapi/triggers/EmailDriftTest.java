package dev.userapi.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.activity.ActivityEvent;
import dev.userapi.core.activity.ActivityItem;
import dev.userapi.core.activity.ActivityRepository;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.user.AuditEntry;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * E-mail drift (docs/SECURITY.md item 31): an address changed and verified at Cognito with the user's own token,
 * outside the API, reaches the profile at the next token issuance, with an audit entry; an unverified one never does.
 */
class EmailDriftTest {
    private static final String SUB = "2b1f4a8e-0000-4000-8000-000000000001";
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private final UserRepository users = mock(UserRepository.class);
    private final AuditRepository audit = mock(AuditRepository.class);
    private final ActivityRepository activity = mock(ActivityRepository.class);
    private final EmailDrift drift = new EmailDrift(users, audit, activity, Clock.fixed(NOW, ZoneOffset.UTC));

    private UserProfile profile;

    private void profileHas(String email) {
        profile = new UserProfile(SUB, email, null, null, null, null, List.of("user"), UserStatus.ENABLED, false, NOW, NOW, 3);
        when(users.find(SUB)).thenReturn(Optional.of(profile));
    }

    @Test
    void b31_aVerifiedAddressThatIsNotTheProfiles_movesTheProfile_andIsAudited() {
        profileHas("old@example.com");

        drift.reconcile(profile, Map.of("sub", SUB, "email", "New@Example.com", "email_verified", "true"));

        verify(users).changeEmail(SUB, "new@example.com");
        ArgumentCaptor<AuditEntry> entry = ArgumentCaptor.forClass(AuditEntry.class);
        verify(audit).append(entry.capture());
        assertThat(entry.getValue().action()).isEqualTo("user.email.reconciled");
        assertThat(entry.getValue().target()).isEqualTo(SUB);
        assertThat(entry.getValue().at()).isEqualTo(NOW);
        assertThat(entry.getValue().details().toString()).doesNotContain("example.com"); // no address in the trail's details
        verify(activity).record(SUB, new ActivityItem(NOW, ActivityEvent.EMAIL_CHANGED, null, null));
    }

    @Test
    void b31_anUnverifiedAddress_isNeverAdopted() {
        profileHas("old@example.com");

        drift.reconcile(profile, Map.of("sub", SUB, "email", "someone.else@example.com", "email_verified", "false"));
        drift.reconcile(profile, Map.of("sub", SUB, "email", "someone.else@example.com"));

        verify(users, never()).changeEmail(anyString(), anyString());
        verify(audit, never()).append(any());
        verify(activity, never()).record(anyString(), any());
    }

    @Test
    void b31_theSameAddress_inAnyCase_changesNothing() {
        profileHas("same@example.com");

        drift.reconcile(profile, Map.of("sub", SUB, "email", "Same@Example.COM", "email_verified", "true"));

        verify(users, never()).changeEmail(anyString(), anyString());
        verify(audit, never()).append(any());
        verify(activity, never()).record(anyString(), any());
    }

    @Test
    void b31_aFailure_neverFailsTheIssuance_andRecordsNothing() {
        profileHas("old@example.com");
        when(users.changeEmail(SUB, "new@example.com")).thenThrow(new ServiceUnavailableException("down"));

        assertThatCode(() -> drift.reconcile(profile, Map.of("sub", SUB, "email", "new@example.com", "email_verified", "true")))
                .doesNotThrowAnyException();
        verify(audit, never()).append(any());
        verify(activity, never()).record(anyString(), any());
    }

    @Test
    void b31_theTrigger_reconcilesWhileIssuingTheRoles() {
        profileHas("old@example.com");
        PreTokenGenerationHandler handler = new PreTokenGenerationHandler(users, drift);

        List<String> roles = handler.currentRoles(Map.of("sub", SUB, "email", "new@example.com", "email_verified", "true"));

        assertThat(roles).containsExactly("user");
        verify(users).changeEmail(SUB, "new@example.com");
        verify(users).find(SUB); // one read serves the roles and the drift check
        verify(users, never()).findRecord(anyString());
    }
}
