package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.userapi.core.org.Membership;
import dev.userapi.core.org.OrgRepository;
import dev.userapi.core.org.OrgRole;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.user.AuditEntry;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/** Drift made at Cognito with a user's own token (docs/SECURITY.md item 31), with Cognito and DynamoDB mocked. */
class AccountDriftTest {
    private static final String SUB = "0c6b1f2e-8a4d-4e3b-9f1a-2b3c4d5e6f70";
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private final CognitoGateway cognito = mock(CognitoGateway.class);
    private final UserRepository users = mock(UserRepository.class);
    private final SessionRepository sessions = mock(SessionRepository.class);
    private final OrgRepository orgs = mock(OrgRepository.class);
    private final AuditRepository audit = mock(AuditRepository.class);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AccountDrift full = new AccountDrift(cognito, users, sessions, orgs, audit, Activity.NONE, clock);
    private final AccountDrift signInOnly = new AccountDrift(cognito, users, null, null, audit, Activity.NONE, clock);

    private static UserProfile profile(boolean mfa) {
        return new UserProfile(SUB, "drift@example.com", null, null, null, null, List.of("user"), UserStatus.ENABLED, mfa,
                NOW, NOW, 3);
    }

    private static UserRecord record(UserStatus status) {
        return new UserRecord(SUB, status, List.of("user"), OptionalLong.empty());
    }

    /** The account's own entry (the organizations' entries are on {@code ORG#…}). */
    private AuditEntry audited() {
        List<AuditEntry> own = allAudited().stream().filter(e -> e.target().equals(SUB)).toList();
        assertThat(own).hasSize(1);
        return own.get(0);
    }

    private List<AuditEntry> allAudited() {
        ArgumentCaptor<AuditEntry> entry = ArgumentCaptor.forClass(AuditEntry.class);
        verify(audit, atLeastOnce()).append(entry.capture());
        return entry.getAllValues();
    }

    @Test
    void b31_totpOffAtCognito_butOnInTheProfile_turnsTheProfilesOff_andIsAudited() {
        when(users.find(SUB)).thenReturn(Optional.of(profile(true)));

        full.totpObserved(SUB, false);

        verify(users).setMfaEnabled(SUB, false);
        assertThat(audited().action()).isEqualTo("user.mfa.reconciled");
    }

    @Test
    void b31_totpAsEitherSideHasIt_changesNothing() {
        when(users.find(SUB)).thenReturn(Optional.of(profile(true)));

        full.totpObserved(SUB, true);

        verify(users, never()).setMfaEnabled(anyString(), anyBoolean());
        verifyNoInteractions(audit);
    }

    @Test
    void b31_aFailureWhileReconcilingMfa_neverFailsTheSignIn() {
        when(users.find(SUB)).thenReturn(Optional.of(profile(false)));
        doThrow(new ServiceUnavailableException("DynamoDB is slow")).when(users).setMfaEnabled(SUB, true);

        full.totpObserved(SUB, true); // no exception

        verifyNoInteractions(audit);
    }

    @Test
    void b31_aUserCognitoStillHas_isLeftAlone() {
        when(cognito.adminGetUser(SUB)).thenReturn(null);

        assertThat(full.reconcileIfGone(SUB, "refresh")).isFalse();

        verify(users, never()).endSessions(anyString());
        verify(users, never()).delete(anyString());
        verifyNoInteractions(audit, sessions, orgs);
    }

    @Test
    void b31_aUserGoneAtCognito_hasItsTokensRefusedFirst_thenItsProfileRetired_andIsAudited() {
        when(cognito.adminGetUser(SUB)).thenThrow(new UserNotFoundException());
        when(users.findRecord(SUB)).thenReturn(Optional.of(record(UserStatus.ENABLED)));
        when(orgs.allMembershipsOf(SUB)).thenReturn(List.of(new Membership("org-1", SUB, OrgRole.MEMBER, NOW)));

        assertThat(full.reconcileIfGone(SUB, "post-confirmation")).isTrue();

        InOrder order = inOrder(users, orgs, sessions);
        order.verify(users).endSessions(SUB);
        order.verify(orgs).removeMember("org-1", SUB);
        order.verify(users).delete(SUB);
        order.verify(sessions).deleteAllForUser(SUB);
        AuditEntry entry = audited();
        assertThat(entry.action()).isEqualTo("user.deleted.reconciled");
        assertThat(allAudited()).anySatisfy(e -> assertThat(e.target() + " " + e.action() + " " + e.details().get("userId"))
                .isEqualTo("ORG#org-1 org.member.leave " + SUB));
        assertThat(entry.details()).containsEntry("outcome", "profile deleted").containsEntry("noticedBy", "post-confirmation");
    }

    @Test
    void b31_theLastOwnerGoneAtCognito_handsOwnershipOver_orDeletesAnOrgWithNoOneElse_audited() {
        when(cognito.adminGetUser(SUB)).thenThrow(new UserNotFoundException());
        when(users.findRecord(SUB)).thenReturn(Optional.of(record(UserStatus.ENABLED)));
        when(orgs.allMembershipsOf(SUB)).thenReturn(List.of(new Membership("org-1", SUB, OrgRole.OWNER, NOW),
                new Membership("org-2", SUB, OrgRole.OWNER, NOW)));
        when(orgs.handOver("org-1", SUB)).thenReturn(new OrgRepository.HandOver(
                Optional.of(new Membership("org-1", "admin-1", OrgRole.ADMIN, NOW)), false));
        when(orgs.handOver("org-2", SUB)).thenReturn(new OrgRepository.HandOver(Optional.empty(), true));

        assertThat(full.reconcileIfGone(SUB, "post-confirmation")).isTrue();

        verify(orgs, never()).removeMember(anyString(), anyString());
        assertThat(allAudited()).extracting(e -> e.target() + " " + e.action() + " " + e.details().getOrDefault("userId", "-")
                + " " + e.details().getOrDefault("to", "-"))
                .containsExactly("ORG#org-1 org.member.role admin-1 owner", "ORG#org-1 org.member.leave " + SUB + " -",
                        "ORG#org-2 org.delete - -", SUB + " user.deleted.reconciled - -");
    }

    @Test
    void b31_theLastEnabledAdministratorGoneAtCognito_keepsTheProfile_butNotItsTokens() {
        when(cognito.adminGetUser(SUB)).thenThrow(new UserNotFoundException());
        when(users.findRecord(SUB)).thenReturn(Optional.of(record(UserStatus.ENABLED)));
        when(orgs.allMembershipsOf(SUB)).thenReturn(List.of());
        doThrow(new ConflictException("last admin")).when(users).delete(SUB);

        assertThat(full.reconcileIfGone(SUB, "post-confirmation")).isTrue();

        verify(users).endSessions(SUB);
        assertThat(audited().details()).containsEntry("outcome", "profile kept: the last enabled administrator");
    }

    @Test
    void b31_aSignInRoute_refusesAGoneUsersTokens_butLeavesTheRetirementToAFunctionThatMayDelete() {
        when(cognito.adminGetUser(SUB)).thenThrow(new UserNotFoundException());
        when(users.findRecord(SUB)).thenReturn(Optional.of(record(UserStatus.ENABLED)));

        assertThat(signInOnly.reconcileIfGone(SUB, "refresh")).isTrue();

        verify(users).endSessions(SUB);
        verify(users, never()).delete(anyString());
        assertThat(audited().details()).containsEntry("outcome", "tokens refused");
    }

    @Test
    void b31_aProfileDeletedAlready_isNothingToReconcile() {
        when(cognito.adminGetUser(SUB)).thenThrow(new UserNotFoundException());
        when(users.findRecord(SUB)).thenReturn(Optional.of(record(UserStatus.DELETED)));

        full.reconcileIfGone(SUB, "refresh");

        verify(users, never()).endSessions(anyString());
        verifyNoInteractions(audit, sessions, orgs);
    }

    @Test
    void b31_cognitoUnreachable_isNotTakenForAGoneUser() {
        when(cognito.adminGetUser(SUB)).thenThrow(new ServiceUnavailableException("Cognito is down"));

        assertThat(full.reconcileIfGone(SUB, "refresh")).isFalse();

        verify(users, never()).endSessions(anyString());
        verify(audit, never()).append(any());
        verify(orgs, never()).removeMember(anyString(), eq(SUB));
    }
}
