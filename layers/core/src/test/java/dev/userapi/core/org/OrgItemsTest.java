package dev.userapi.core.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.problem.ServiceUnavailableException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Items the store answers are read strictly: one that lacks what every write puts is a 503, never a 500 or a 400. */
class OrgItemsTest {
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

    private static Map<String, AttributeValue> membershipItem() {
        return new HashMap<>(OrgItems.membershipItem(OrgItems.mirrorKey("org-1", "user-1"),
                new Membership("org-1", "user-1", OrgRole.ADMIN, AT)));
    }

    @Test
    void aMembershipAsWritten_readsBack() {
        assertThat(OrgItems.membership(membershipItem())).isEqualTo(new Membership("org-1", "user-1", OrgRole.ADMIN, AT));
    }

    @Test
    void aMembershipWithoutItsOrg_orWithAStoredRoleThatIsNoOrgRole_orABadInstant_isUnreadable() {
        Map<String, AttributeValue> noOrg = membershipItem();
        noOrg.remove("orgId");
        Map<String, AttributeValue> userRole = membershipItem();
        userRole.put("role", AttributeValue.fromS("user"));
        Map<String, AttributeValue> badInstant = membershipItem();
        badInstant.put("joinedAt", AttributeValue.fromS("yesterday"));
        for (Map<String, AttributeValue> item : java.util.List.of(noOrg, userRole, badInstant)) {
            assertThatThrownBy(() -> OrgItems.membership(item)).isInstanceOf(ServiceUnavailableException.class);
        }
    }

    @Test
    void anOrgWithoutItsCreationTime_isUnreadable() {
        Map<String, AttributeValue> item = new HashMap<>(Map.of("id", AttributeValue.fromS("org-1"), "name", AttributeValue.fromS("Acme")));
        assertThatThrownBy(() -> OrgItems.org(item)).isInstanceOf(ServiceUnavailableException.class);
    }

    @Test
    void anInvitationWithoutWhatEveryWritePuts_orItsTokenPointerWithoutItsTarget_isUnreadable() {
        Invitation invitation = new Invitation("inv-1", "org-1", "ada@example.com", OrgRole.MEMBER, AT, AT.plusSeconds(60),
                Invitation.PENDING, "user-1");
        Map<String, AttributeValue> written = OrgItems.invitationItem(invitation, "hash");
        assertThat(OrgItems.invitation(written)).isEqualTo(invitation);
        assertThat(OrgItems.tokenHash(written)).isEqualTo("hash");
        for (String name : java.util.List.of("id", "orgId", "email", "role", "createdAt", "validUntil", "status", "invitedBy")) {
            Map<String, AttributeValue> item = new HashMap<>(written);
            item.remove(name);
            assertThatThrownBy(() -> OrgItems.invitation(item)).as(name).isInstanceOf(ServiceUnavailableException.class);
        }
        Map<String, AttributeValue> noHash = new HashMap<>(written);
        noHash.remove("tokenHash");
        assertThatThrownBy(() -> OrgItems.tokenHash(noHash)).isInstanceOf(ServiceUnavailableException.class);
        Map<String, AttributeValue> pointer = new HashMap<>(OrgItems.tokenItem(invitation, "hash"));
        assertThat(OrgItems.tokenTarget(pointer)).isEqualTo(Map.entry("org-1", "inv-1"));
        pointer.remove("invitationId");
        assertThatThrownBy(() -> OrgItems.tokenTarget(pointer)).isInstanceOf(ServiceUnavailableException.class);
    }

    @Test
    void anOrgWithCountsOfAnotherType_isUnreadable() {
        Map<String, AttributeValue> item = new HashMap<>(OrgItems.orgItem(new Org("org-1", "Acme", AT, 1, 1)));
        assertThat(OrgItems.org(item)).isEqualTo(new Org("org-1", "Acme", AT, 1, 1));
        item.put("owners", AttributeValue.fromS("1"));
        assertThatThrownBy(() -> OrgItems.org(item)).isInstanceOf(ServiceUnavailableException.class);
    }
}
