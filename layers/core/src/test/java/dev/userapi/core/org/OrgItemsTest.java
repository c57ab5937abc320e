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
}
