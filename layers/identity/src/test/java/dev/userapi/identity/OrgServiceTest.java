package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** OrgService's decisions (docs/SECURITY.md item 35), with the repository mocked. */
class OrgServiceTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final String ORG = "0a1b2c3d-0000-4000-8000-000000000001";
    private static final String OTHER = "0a1b2c3d-0000-4000-8000-000000000002";
    private final OrgRepository repo = mock(OrgRepository.class);
    private final UserRepository users = mock(UserRepository.class);
    private final Mailer mailer = mock(Mailer.class);
    private final OrgService service = new OrgService(repo, users, mock(AuditRepository.class), mailer, Clock.fixed(NOW, ZoneOffset.UTC));
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
        verify(repo, never()).changeRole(anyString(), anyString(), any(), any());
        verify(repo, never()).removeMember(anyString(), anyString(), any());
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
        verify(repo, never()).removeMember(anyString(), anyString(), any());
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
}
