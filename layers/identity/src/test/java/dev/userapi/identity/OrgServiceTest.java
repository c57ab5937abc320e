package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.config.ConfigurationException;
import dev.userapi.core.http.Caller;
import dev.userapi.core.mail.MailKind;
import dev.userapi.core.mail.Mailer;
import dev.userapi.core.org.Access;
import dev.userapi.core.org.Invitation;
import dev.userapi.core.org.Membership;
import dev.userapi.core.org.Org;
import dev.userapi.core.org.OrgRepository;
import dev.userapi.core.org.OrgRole;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.ForbiddenException;
import dev.userapi.core.problem.GoneException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.user.AuditEntry;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/** OrgService's decisions (docs/SECURITY.md item 35), with the repository mocked. */
class OrgServiceTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final String ORG = "0a1b2c3d-0000-4000-8000-000000000001";
    private static final String OTHER = "0a1b2c3d-0000-4000-8000-000000000002";
    private final OrgRepository repo = mock(OrgRepository.class);
    private final UserRepository users = mock(UserRepository.class);
    private final Mailer mailer = mock(Mailer.class);
    private final AuditRepository audit = mock(AuditRepository.class);
    private final OrgService service = new OrgService(repo, users, audit, mailer, Clock.fixed(NOW, ZoneOffset.UTC));
    private final Org org = new Org(ORG, "Acme", NOW, 2, 1);

    private static Caller caller(String sub, String... roles) {
        return new Caller(sub, sub, Set.of(roles));
    }

    private void member(String sub, OrgRole role) {
        when(repo.access(ORG, sub)).thenReturn(Optional.of(new Access(org,
                role == null ? Optional.empty() : Optional.of(new Membership(ORG, sub, role, NOW)))));
    }

    @Test
    void b35_aNonMember_gets404_likeForAnOrgThatDoesNotExist_evenAGlobalAdminWriting() {
        member("aaaa", null);
        when(repo.access(eq(OTHER), anyString())).thenReturn(Optional.empty());

        assertThatThrownBy(() -> service.get(caller("aaaa", "user"), ORG)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.get(caller("aaaa", "user"), OTHER)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.get(caller("aaaa"), "not-an-id!")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.rename(caller("aaaa", "admin"), ORG, "x")).isInstanceOf(NotFoundException.class);
        assertThat(service.get(caller("aaaa", "admin"), ORG)).containsEntry("id", ORG).containsEntry("memberCount", 2L);
        verify(repo, never()).rename(anyString(), anyString(), any());
    }

    @Test
    void b35_aMemberWithoutTheRole_gets403_andOnlyAnOwnerTouchesOwners() {
        member("mmmm", OrgRole.MEMBER);
        member("dddd", OrgRole.ADMIN);
        when(repo.membership(ORG, "0000")).thenReturn(Optional.of(new Membership(ORG, "0000", OrgRole.OWNER, NOW)));
        when(repo.membership(ORG, "1111")).thenReturn(Optional.of(new Membership(ORG, "1111", OrgRole.MEMBER, NOW)));

        assertThatThrownBy(() -> service.rename(caller("mmmm"), ORG, "x")).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.delete(caller("dddd"), ORG)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.setRole(caller("dddd"), ORG, "1111", OrgRole.OWNER)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.setRole(caller("dddd"), ORG, "0000", OrgRole.MEMBER)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.removeMember(caller("dddd"), ORG, "0000")).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.removeMember(caller("mmmm"), ORG, "1111")).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.invite(caller("dddd"), ORG, "x@example.com", OrgRole.OWNER)).isInstanceOf(ForbiddenException.class);
        verify(repo, never()).changeRole(anyString(), anyString(), any(), any(), any());
        verify(repo, never()).removeMember(anyString(), anyString(), any(), any());
    }

    @Test
    void b35_actingOnAnotherMember_isConditionedOnTheRoleTheOwnerOnlyRuleWasCheckedAgainst() {
        member("dddd", OrgRole.ADMIN);
        when(repo.membership(ORG, "1111")).thenReturn(Optional.of(new Membership(ORG, "1111", OrgRole.ADMIN, NOW)));
        when(repo.changeRole(eq(ORG), eq("1111"), any(), any(), any())).thenReturn(new Membership(ORG, "1111", OrgRole.MEMBER, NOW));

        service.setRole(caller("dddd"), ORG, "1111", OrgRole.MEMBER);
        service.removeMember(caller("dddd"), ORG, "1111");

        OrgRepository.Actor actor = new OrgRepository.Actor("dddd", OrgRole.ADMIN);
        verify(repo).changeRole(ORG, "1111", OrgRole.ADMIN, OrgRole.MEMBER, actor);
        verify(repo).removeMember(ORG, "1111", OrgRole.ADMIN, actor);
    }

    @Test
    void b35_aRemovedOrLeavingMember_losesThePendingInvitationsToTheirAddress_andOnlyThose() {
        member("dddd", OrgRole.ADMIN);
        member("1111", OrgRole.MEMBER);
        when(repo.membership(ORG, "2222")).thenReturn(Optional.of(new Membership(ORG, "2222", OrgRole.ADMIN, NOW)));
        when(users.find("2222")).thenReturn(Optional.of(profile("2222", "eve@example.com")));
        when(users.find("1111")).thenReturn(Optional.of(profile("1111", "leo@example.com")));
        when(repo.invitations(ORG)).thenReturn(List.of(
                invitation("i1", "EVE@example.com", OrgRole.ADMIN, Invitation.PENDING, NOW.plusSeconds(60)),
                invitation("i2", "eve@example.com", OrgRole.MEMBER, Invitation.ACCEPTED, NOW.plusSeconds(60)),
                invitation("i3", "eve@example.com", OrgRole.MEMBER, Invitation.PENDING, NOW),
                invitation("i4", "sam@example.com", OrgRole.ADMIN, Invitation.PENDING, NOW.plusSeconds(60)),
                invitation("i5", "leo@example.com", OrgRole.OWNER, Invitation.PENDING, NOW.plusSeconds(60))));
        when(repo.revoke(eq(ORG), anyString())).thenReturn(true);

        service.removeMember(caller("dddd"), ORG, "2222");
        InOrder order = inOrder(repo);
        order.verify(repo).revoke(ORG, "i1"); // first: a failure to revoke fails the request before the removal
        order.verify(repo).removeMember(ORG, "2222", OrgRole.ADMIN, new OrgRepository.Actor("dddd", OrgRole.ADMIN));
        verify(repo, never()).revoke(ORG, "i4"); // an invitation the removed member did not receive stays
        service.removeMember(caller("1111"), ORG, "1111");
        verify(repo).revoke(ORG, "i5");
        verify(repo, never()).revoke(ORG, "i2");
        verify(repo, never()).revoke(ORG, "i3");
    }

    @Test
    void b35_aDemotedMember_losesThePendingInvitationsToTheirAddressWithAStrongerRole() {
        member("0000", OrgRole.OWNER);
        when(repo.membership(ORG, "2222")).thenReturn(Optional.of(new Membership(ORG, "2222", OrgRole.OWNER, NOW)));
        when(repo.changeRole(eq(ORG), eq("2222"), any(), any(), any())).thenReturn(new Membership(ORG, "2222", OrgRole.ADMIN, NOW));
        when(users.find("2222")).thenReturn(Optional.of(profile("2222", "eve@example.com")));
        when(repo.invitations(ORG)).thenReturn(List.of(
                invitation("i1", "eve@example.com", OrgRole.OWNER, Invitation.PENDING, NOW.plusSeconds(60)),
                invitation("i2", "eve@example.com", OrgRole.ADMIN, Invitation.PENDING, NOW.plusSeconds(60)),
                invitation("i3", "eve@example.com", OrgRole.MEMBER, Invitation.PENDING, NOW.plusSeconds(60))));

        service.setRole(caller("0000"), ORG, "2222", OrgRole.ADMIN);

        verify(repo).revoke(ORG, "i1");
        verify(repo, never()).revoke(ORG, "i2");
        verify(repo, never()).revoke(ORG, "i3");
    }

    @Test
    void b35_invitingTheAddressOfAMember_is409_andSendsNothing() {
        member("dddd", OrgRole.ADMIN);
        when(users.idsOfEmail("eve@example.com")).thenReturn(List.of("9999", "2222"));
        when(repo.membership(ORG, "2222")).thenReturn(Optional.of(new Membership(ORG, "2222", OrgRole.MEMBER, NOW)));

        assertThatThrownBy(() -> service.invite(caller("dddd"), ORG, "eve@example.com", OrgRole.ADMIN)).isInstanceOf(ConflictException.class);
        verify(repo, never()).createInvitation(any(), anyString(), any());
        verify(mailer, never()).send(anyString(), any(), anyString(), anyString(), anyString());
    }

    @Test
    void b35_pendingInvitations_areCappedPerOrganization_expiredOnesDoNotCount() {
        member("dddd", OrgRole.ADMIN);
        List<Invitation> existing = new ArrayList<>();
        for (int i = 0; i < OrgService.MAX_PENDING_INVITATIONS - 1; i++) {
            existing.add(invitation("p" + i, i + "@example.com", OrgRole.MEMBER, Invitation.PENDING, NOW.plusSeconds(60)));
        }
        existing.add(invitation("x", "x@example.com", OrgRole.MEMBER, Invitation.PENDING, NOW)); // expired
        existing.add(invitation("r", "r@example.com", OrgRole.MEMBER, Invitation.REVOKED, NOW.plusSeconds(60)));
        when(repo.invitations(ORG)).thenReturn(existing);

        service.invite(caller("dddd"), ORG, "new@example.com", OrgRole.MEMBER); // the 100th
        existing.add(invitation("p99", "99@example.com", OrgRole.MEMBER, Invitation.PENDING, NOW.plusSeconds(60)));
        assertThatThrownBy(() -> service.invite(caller("dddd"), ORG, "one-more@example.com", OrgRole.MEMBER))
                .isInstanceOf(ConflictException.class);
        verify(repo, times(1)).createInvitation(any(), anyString(), eq(new OrgRepository.Actor("dddd", OrgRole.ADMIN)));
    }

    private static Invitation invitation(String id, String email, OrgRole role, String status, Instant validUntil) {
        return new Invitation(id, ORG, email, role, NOW.minusSeconds(60), validUntil, status, "dddd");
    }

    @Test
    void b35_accept_onlyForTheInvitedAddress_andOnlyWhilePending() {
        String token = "A".repeat(43);
        Invitation pending = new Invitation("i1", ORG, "ann@example.com", OrgRole.MEMBER, NOW, NOW.plusSeconds(60), Invitation.PENDING, "o");
        when(repo.invitationByTokenHash(anyString())).thenReturn(Optional.of(pending));
        when(users.find("ann")).thenReturn(Optional.of(profile("ann", "ann@example.com")));
        when(users.find("bob")).thenReturn(Optional.of(profile("bob", "bob@example.com")));
        when(repo.accept(pending, "ann", NOW)).thenReturn(new Membership(ORG, "ann", OrgRole.MEMBER, NOW));

        assertThatThrownBy(() -> service.accept(caller("bob"), token)).isInstanceOf(ForbiddenException.class);
        assertThat(service.accept(caller("ann"), token)).isEqualTo(Map.of("orgId", ORG, "role", "member"));
        assertThatThrownBy(() -> service.accept(caller("ann"), "short")).isInstanceOf(GoneException.class);

        Invitation expired = new Invitation("i2", ORG, "ann@example.com", OrgRole.MEMBER, NOW.minusSeconds(120), NOW, Invitation.PENDING, "o");
        when(repo.invitationByTokenHash(anyString())).thenReturn(Optional.of(expired));
        assertThatThrownBy(() -> service.accept(caller("ann"), token)).isInstanceOf(GoneException.class);
    }

    @Test
    void b35_withTheWebClientUrl_theInvitationMailLinksToTheAcceptanceScreen_withTheTokenItCarries() {
        OrgService linking = new OrgService(repo, users, mock(AuditRepository.class), mailer, Clock.fixed(NOW, ZoneOffset.UTC),
                Optional.of("https://app.example.com/client/"));
        member("dddd", OrgRole.ADMIN);

        linking.invite(caller("dddd"), ORG, "x@example.com", OrgRole.MEMBER);
        service.invite(caller("dddd"), ORG, "y@example.com", OrgRole.MEMBER);

        ArgumentCaptor<String> text = ArgumentCaptor.forClass(String.class);
        ArgumentCaptor<String> token = ArgumentCaptor.forClass(String.class);
        verify(mailer).send(eq("x@example.com"), eq(MailKind.ORG_INVITATION), anyString(), text.capture(), token.capture());
        assertThat(token.getValue()).matches("[A-Za-z0-9_-]{43}");
        assertThat(text.getValue()).endsWith("\nhttps://app.example.com/client/#/invitations/accept?token=" + token.getValue());
        verify(mailer).send(eq("y@example.com"), eq(MailKind.ORG_INVITATION), anyString(), text.capture(), token.capture());
        assertThat(text.getValue()).doesNotContain("#/invitations").doesNotContain(token.getValue());
    }

    @Test
    void b35_theWebClientUrl_isAnHttpUrlWithoutQueryOrFragment() {
        assertThat(OrgService.checkWebClientUrl("http://localhost:3000/app/")).isEqualTo("http://localhost:3000/app/");
        for (String bad : List.of("app.example.com", "javascript:alert(1)", "https://x.example/#/a", "https://x.example/?a=1", "ftp://x.example/")) {
            assertThatThrownBy(() -> OrgService.checkWebClientUrl(bad)).as(bad).isInstanceOf(ConfigurationException.class);
        }
    }

    @Test
    void b35_anInvitationWhoseMailCannotBeSent_isRevokedAgain() {
        member("dddd", OrgRole.ADMIN);
        doThrow(new dev.userapi.core.problem.MailUnavailableException()).when(mailer)
                .send(anyString(), any(), anyString(), anyString(), anyString());

        assertThatThrownBy(() -> service.invite(caller("dddd"), ORG, "x@example.com", OrgRole.MEMBER))
                .isInstanceOf(dev.userapi.core.problem.MailUnavailableException.class);
        verify(repo).revoke(eq(ORG), anyString());
    }

    @Test
    void b35_deletingAnAccountThatIsALastOwner_is409_andLeavesNothing() {
        when(repo.allMembershipsOf("0000")).thenReturn(List.of(new Membership(ORG, "0000", OrgRole.MEMBER, NOW),
                new Membership(OTHER, "0000", OrgRole.OWNER, NOW)));
        when(repo.find(OTHER)).thenReturn(Optional.of(new Org(OTHER, "Other", NOW, 3, 1)));

        assertThatThrownBy(() -> service.leaveAll("0000")).isInstanceOf(ConflictException.class);
        verify(repo, never()).removeMember(anyString(), anyString());
    }

    @Test
    void b35_deletingAnAccount_closesJoiningBeforeReadingTheMembershipsItLeaves_andAuditsOnlyRealRemovals() {
        Membership owner = new Membership(OTHER, "0000", OrgRole.OWNER, NOW);
        Membership member = new Membership(ORG, "0000", OrgRole.MEMBER, NOW);
        // an owner invitation accepted just before joining closed shows in the second read
        when(repo.allMembershipsOf("0000")).thenReturn(List.of(member), List.of(member, owner));
        when(repo.find(OTHER)).thenReturn(Optional.of(new Org(OTHER, "Other", NOW, 3, 2)));
        when(repo.removeMember(ORG, "0000")).thenThrow(new NotFoundException("left meanwhile"));

        service.leaveAll("0000");

        InOrder order = inOrder(repo);
        order.verify(repo).allMembershipsOf("0000");
        order.verify(repo).closeJoining("0000", NOW.plus(OrgService.JOINING_CLOSED_FOR));
        order.verify(repo).allMembershipsOf("0000");
        order.verify(repo).removeMember(OTHER, "0000");
        verify(repo, never()).reopenJoining(anyString());
        ArgumentCaptor<AuditEntry> entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(audit).append(entries.capture());
        assertThat(entries.getValue().target()).isEqualTo("ORG#" + OTHER);
    }

    @Test
    void b35_anOwnerMembershipThatAppearsOnceJoiningIsClosed_isA409_beforeAnyRemoval_andJoiningOpensAgain() {
        Membership member = new Membership(ORG, "0000", OrgRole.MEMBER, NOW);
        Membership lastOwner = new Membership(OTHER, "0000", OrgRole.OWNER, NOW);
        when(repo.allMembershipsOf("0000")).thenReturn(List.of(member), List.of(member, lastOwner));
        when(repo.find(OTHER)).thenReturn(Optional.of(new Org(OTHER, "Other", NOW, 3, 1)));

        assertThatThrownBy(() -> service.leaveAll("0000")).isInstanceOf(ConflictException.class);

        verify(repo).reopenJoining("0000");
        verify(repo, never()).removeMember(anyString(), anyString());
        verify(audit, never()).append(any());
    }

    @Test
    void listings_refuseUnknownParametersAndBadCursors_beforeReadingAnything() {
        assertThatThrownBy(() -> service.members(caller("aaaa"), ORG, Map.of("sort", "x"))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> service.members(caller("aaaa"), ORG, Map.of("cursor", "garbage"))).isInstanceOf(InvalidRequestException.class);
        verify(repo, never()).access(anyString(), anyString());
    }

    private static UserProfile profile(String id, String email) {
        return new UserProfile(id, email, "N", "en", null, null, List.of("user"), UserStatus.ENABLED, false, NOW, NOW, 1);
    }

    @Test
    void sweep_afterTheDeletion_removesLeftMemberships_thenTheJoiningClosure_nothingLeftButTheTombstone() {
        Membership left = new Membership(ORG, "0000", OrgRole.MEMBER, NOW);
        when(repo.allMembershipsOf("0000")).thenReturn(List.of(left));

        service.sweep("0000");

        InOrder order = inOrder(repo);
        order.verify(repo).removeMember(ORG, "0000");
        order.verify(repo).reopenJoining("0000");
    }
}
