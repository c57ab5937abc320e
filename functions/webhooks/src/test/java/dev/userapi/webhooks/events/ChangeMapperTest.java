package dev.userapi.webhooks.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeMapperTest {
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
    private static final String SUB = "3f1c9a2e-0000-4000-8000-000000000001";

    private static Map<String, Object> profile(String status, Map<String, Object> extra) {
        Map<String, Object> item = new HashMap<>();
        item.put("pk", "USER#" + SUB);
        item.put("sk", "PROFILE");
        item.put("id", SUB);
        item.put("email", "ada@example.com");
        item.put("name", "Ada");
        item.put("roles", List.of("user"));
        item.put("status", status);
        item.put("mfaEnabled", false);
        item.put("version", new BigDecimal(1));
        item.put("createdAt", "2026-12-01T00:00:00Z");
        item.put("revokedBefore", new BigDecimal(1700000000000L));
        item.putAll(extra);
        return item;
    }

    private static List<LifecycleEvent> map(String op, Map<String, Object> before, Map<String, Object> after) {
        return ChangeMapper.map(new StreamChange("rec-1", op, AT, false, before, after));
    }

    private static List<String> types(List<LifecycleEvent> events) {
        return events.stream().map(LifecycleEvent::type).toList();
    }

    @Test
    void profileInserted_isUserCreated_withoutRevocationInternals() {
        List<LifecycleEvent> events = map("INSERT", null, profile("ENABLED", Map.of()));
        assertThat(types(events)).containsExactly("user.created");
        LifecycleEvent e = events.get(0);
        assertThat(e.at()).isEqualTo(AT);
        assertThat(e.data()).containsEntry("userId", SUB).containsEntry("email", "ada@example.com").containsEntry("roles", List.of("user"))
                .doesNotContainKeys("revokedBefore", "sessionsRevokedBefore", "revokedJtis", "pk", "version");
    }

    @Test
    void eventIds_areStablePerStreamRecordAndType_andDifferBetweenThem() {
        Map<String, Object> before = profile("ENABLED", Map.of());
        Map<String, Object> after = profile("DISABLED", Map.of("roles", List.of("admin", "user")));
        List<LifecycleEvent> first = map("MODIFY", before, after);
        List<LifecycleEvent> again = map("MODIFY", before, after);
        assertThat(types(first)).containsExactly("user.roles_changed", "user.disabled");
        assertThat(first.get(0).id()).isEqualTo(again.get(0).id()).startsWith("evt_").hasSize(36);
        assertThat(first.get(0).id()).isNotEqualTo(first.get(1).id());
        List<LifecycleEvent> otherRecord = ChangeMapper.map(new StreamChange("rec-2", "MODIFY", AT, false, before, after));
        assertThat(otherRecord.get(0).id()).isNotEqualTo(first.get(0).id());
    }

    @Test
    void profileModified_eachKindOfChange() {
        Map<String, Object> before = profile("ENABLED", Map.of());
        assertThat(types(map("MODIFY", before, profile("ENABLED", Map.of("name", "Ada L."))))).containsExactly("user.updated");
        assertThat(map("MODIFY", before, profile("ENABLED", Map.of("name", "Ada L."))).get(0).data())
                .containsEntry("changed", List.of("name"));
        assertThat(types(map("MODIFY", before, profile("ENABLED", Map.of("email", "ada@new.example")))))
                .containsExactly("user.email_changed");
        assertThat(types(map("MODIFY", before, profile("ENABLED", Map.of("roles", List.of("user", "admin"))))))
                .containsExactly("user.roles_changed");
        assertThat(types(map("MODIFY", before, profile("DISABLED", Map.of())))).containsExactly("user.disabled");
        assertThat(types(map("MODIFY", profile("DISABLED", Map.of()), profile("ENABLED", Map.of())))).containsExactly("user.enabled");
        assertThat(types(map("MODIFY", before, profile("ENABLED", Map.of("mfaEnabled", true))))).containsExactly("mfa.enabled");
        assertThat(types(map("MODIFY", profile("ENABLED", Map.of("mfaEnabled", true)), before))).containsExactly("mfa.disabled");
        assertThat(types(map("MODIFY", before, profile("ENABLED", Map.of("passwordChangedAt", "2026-12-02T10:00:00Z")))))
                .containsExactly("password.changed");
    }

    @Test
    void revocationsAndBookkeeping_makeNoEvent() {
        Map<String, Object> before = profile("ENABLED", Map.of());
        assertThat(map("MODIFY", before, profile("ENABLED", Map.of("revokedBefore", new BigDecimal(1800000000000L),
                "revokedJtis", Map.of("jti", new BigDecimal(1)), "version", new BigDecimal(2), "updatedAt", "x")))).isEmpty();
        Map<String, Object> role = Map.of("pk", "USER#" + SUB, "sk", "ROLE#admin", "id", SUB, "role", "admin");
        assertThat(map("INSERT", null, role)).isEmpty();
        assertThat(map("INSERT", null, Map.of("pk", "WEBHOOKS", "sk", "WEBHOOK#wh_1", "secretCiphertext", "x"))).isEmpty();
        assertThat(map("INSERT", null, Map.of("pk", "ATTEMPTS#LOGIN#abc", "sk", "ANY"))).isEmpty();
        assertThat(map("MODIFY", Map.of("pk", "META", "sk", "ENABLED_ADMINS"), Map.of("pk", "META", "sk", "ENABLED_ADMINS"))).isEmpty();
    }

    @Test
    void tombstone_isUserDeleted_onceOnly() {
        Map<String, Object> tombstone = new HashMap<>(Map.of("pk", "USER#" + SUB, "sk", "PROFILE", "id", SUB, "status", "DELETED",
                "deletedAt", "2026-12-02T10:00:00Z"));
        assertThat(types(map("MODIFY", profile("DISABLED", Map.of()), tombstone))).containsExactly("user.deleted");
        assertThat(map("MODIFY", profile("DISABLED", Map.of()), tombstone).get(0).data()).containsOnlyKeys("userId", "deletedAt");
        assertThat(map("MODIFY", tombstone, tombstone)).isEmpty();
        assertThat(ChangeMapper.map(new StreamChange("r", "REMOVE", AT, true, tombstone, null))).isEmpty();
        assertThat(types(map("REMOVE", profile("ENABLED", Map.of()), null))).containsExactly("user.deleted");
    }

    @Test
    void sessions_createdAndRevoked_neverTheirKey_andExpiryIsNotRevocation() {
        Map<String, Object> session = Map.of("pk", "SESSION#c0ffee", "sk", "SESSION", "id", "s-1", "userId", SUB,
                "createdAt", "2026-12-02T10:00:00Z", "originJti", "jti-1", "sourceIp", "203.0.113.1");
        List<LifecycleEvent> created = map("INSERT", null, session);
        assertThat(types(created)).containsExactly("session.created");
        assertThat(created.get(0).data()).containsEntry("sessionId", "s-1").containsEntry("userId", SUB)
                .doesNotContainKeys("originJti", "pk", "sourceIp");
        assertThat(Json.write(created.get(0).toJson())).doesNotContain("c0ffee").doesNotContain("jti-1");
        assertThat(map("MODIFY", session, session)).isEmpty();
        assertThat(types(map("REMOVE", session, null))).containsExactly("session.revoked");
        assertThat(ChangeMapper.map(new StreamChange("r", "REMOVE", AT, true, session, null))).isEmpty();
    }

    @Test
    void confirmation_isUserConfirmed_onceWhenConfirmedAtAppears() {
        Map<String, Object> confirmed = profile("ENABLED", Map.of("confirmedAt", "2026-12-02T10:00:00Z"));
        // a profile made for a confirmed account (post-confirmation, healing): created, then confirmed
        List<LifecycleEvent> created = map("INSERT", null, confirmed);
        assertThat(types(created)).containsExactly("user.created", "user.confirmed");
        assertThat(created.get(1).data()).containsOnly(Map.entry("userId", SUB), Map.entry("confirmedAt", "2026-12-02T10:00:00Z"));
        // an invited account's profile: created only; its first password set later: confirmed only
        Map<String, Object> invited = profile("ENABLED", Map.of());
        assertThat(types(map("INSERT", null, invited))).containsExactly("user.created");
        assertThat(types(map("MODIFY", invited, confirmed))).containsExactly("user.confirmed");
        // once: every later change keeps the marker
        assertThat(types(map("MODIFY", confirmed, profile("ENABLED", Map.of("confirmedAt", "2026-12-02T10:00:00Z", "name", "Ada L.")))))
                .containsExactly("user.updated");
        Map<String, Object> tombstone = new HashMap<>(Map.of("pk", "USER#" + SUB, "sk", "PROFILE", "id", SUB, "status", "DELETED"));
        assertThat(types(map("MODIFY", confirmed, tombstone))).containsExactly("user.deleted");
    }

    private static Map<String, Object> orgItem() {
        return Map.of("pk", "ORG#org_1", "sk", "ORG", "id", "org_1", "name", "Acme", "createdAt", "2026-12-02T10:00:00Z",
                "memberCount", new BigDecimal(1), "owners", new BigDecimal(1));
    }

    private static Map<String, Object> member(String sk, Map<String, Object> extra) {
        Map<String, Object> item = new HashMap<>(Map.of("pk", sk.startsWith("MEMBER#") ? "ORG#org_1" : "USER#" + SUB, "sk", sk,
                "orgId", "org_1", "userId", SUB, "role", "owner", "joinedAt", "2026-12-02T10:00:00Z"));
        item.putAll(extra);
        return item;
    }

    @Test
    void organization_createdRenamedAndDeleted_notItsCounts() {
        List<LifecycleEvent> created = map("INSERT", null, orgItem());
        assertThat(types(created)).containsExactly("org.created");
        assertThat(created.get(0).data()).containsOnly(Map.entry("orgId", "org_1"), Map.entry("name", "Acme"),
                Map.entry("createdAt", "2026-12-02T10:00:00Z"));
        Map<String, Object> counted = new HashMap<>(orgItem());
        counted.put("memberCount", new BigDecimal(2));
        counted.put("owners", new BigDecimal(2));
        assertThat(map("MODIFY", orgItem(), counted)).isEmpty(); // a membership's transaction: its own event
        Map<String, Object> renamed = new HashMap<>(counted);
        renamed.put("name", "Acme 2");
        List<LifecycleEvent> updated = map("MODIFY", counted, renamed);
        assertThat(types(updated)).containsExactly("org.updated");
        assertThat(updated.get(0).data()).containsOnly(Map.entry("orgId", "org_1"), Map.entry("name", "Acme 2"),
                Map.entry("previousName", "Acme"));
        List<LifecycleEvent> deleted = map("REMOVE", renamed, null);
        assertThat(types(deleted)).containsExactly("org.deleted");
        assertThat(deleted.get(0).data()).containsOnly(Map.entry("orgId", "org_1"), Map.entry("name", "Acme 2"));
    }

    @Test
    void membership_addedAndRemoved_fromTheOrgsItemOnly_andNotWhenTheOrgDeletionSweepsIt() {
        Map<String, Object> byOrg = member("MEMBER#" + SUB, Map.of());
        List<LifecycleEvent> added = map("INSERT", null, byOrg);
        assertThat(types(added)).containsExactly("org.member_added");
        assertThat(added.get(0).data()).containsOnly(Map.entry("userId", SUB), Map.entry("orgId", "org_1"), Map.entry("role", "owner"),
                Map.entry("joinedAt", "2026-12-02T10:00:00Z"));
        List<LifecycleEvent> removed = map("REMOVE", byOrg, null);
        assertThat(types(removed)).containsExactly("org.member_removed");
        assertThat(removed.get(0).data()).containsOnly(Map.entry("userId", SUB), Map.entry("orgId", "org_1"), Map.entry("role", "owner"));
        // the mirror in the user's partition: written with it, no second event
        Map<String, Object> mirror = member("MEMBER_OF#org_1", Map.of());
        assertThat(map("INSERT", null, mirror)).isEmpty();
        assertThat(map("REMOVE", mirror, null)).isEmpty();
        // a role change rewrites both: one event, from the organization's item
        List<LifecycleEvent> role = map("MODIFY", byOrg, member("MEMBER#" + SUB, Map.of("role", "admin")));
        assertThat(types(role)).containsExactly("org.member_role_changed");
        assertThat(role.get(0).data()).containsOnly(Map.entry("userId", SUB), Map.entry("orgId", "org_1"), Map.entry("role", "admin"),
                Map.entry("previousRole", "owner"));
        assertThat(map("MODIFY", mirror, member("MEMBER_OF#org_1", Map.of("role", "admin")))).isEmpty();
        // the organization's deletion marks, then deletes: org.deleted stands for them
        Map<String, Object> swept = member("MEMBER#" + SUB, Map.of("removedWithOrg", true));
        assertThat(map("MODIFY", byOrg, swept)).isEmpty();
        assertThat(map("REMOVE", swept, null)).isEmpty();
        // invitation token pointers: none
        assertThat(map("INSERT", null, Map.of("pk", "INVITATION#ab", "sk", "TOKEN"))).isEmpty();
    }

    private static Map<String, Object> invitation(String status, Map<String, Object> extra) {
        Map<String, Object> item = new HashMap<>();
        item.put("pk", "ORG#org_1");
        item.put("sk", "INVITATION#inv_1");
        item.put("id", "inv_1");
        item.put("orgId", "org_1");
        item.put("email", "grace@example.com");
        item.put("role", "member");
        item.put("createdAt", "2026-12-02T10:00:00Z");
        item.put("validUntil", new BigDecimal(Instant.parse("2026-12-09T10:00:00Z").toEpochMilli()));
        item.put("status", status);
        item.put("invitedBy", SUB);
        item.put("tokenHash", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        item.put("expiresAt", new BigDecimal(1800000000L));
        item.putAll(extra);
        return item;
    }

    @Test
    void invitation_createdRevokedAndAccepted_oneEventEach_neverItsTokenHash() {
        Map<String, Object> pending = invitation("PENDING", Map.of());
        List<LifecycleEvent> created = map("INSERT", null, pending);
        assertThat(types(created)).containsExactly("org.invitation_created");
        assertThat(created.get(0).data()).containsOnly(Map.entry("orgId", "org_1"), Map.entry("invitationId", "inv_1"),
                Map.entry("email", "grace@example.com"), Map.entry("role", "member"), Map.entry("invitedBy", SUB),
                Map.entry("createdAt", "2026-12-02T10:00:00Z"), Map.entry("validUntil", "2026-12-09T10:00:00Z"));

        List<LifecycleEvent> revoked = map("MODIFY", pending, invitation("REVOKED", Map.of()));
        assertThat(types(revoked)).containsExactly("org.invitation_revoked");
        assertThat(revoked.get(0).data()).containsOnly(Map.entry("orgId", "org_1"), Map.entry("invitationId", "inv_1"),
                Map.entry("email", "grace@example.com"));

        String grace = "3f1c9a2e-0000-4000-8000-000000000002";
        List<LifecycleEvent> accepted = map("MODIFY", pending, invitation("ACCEPTED", Map.of("acceptedBy", grace,
                "acceptedAt", "2026-12-03T10:00:00Z")));
        assertThat(types(accepted)).containsExactly("org.invitation_accepted");
        assertThat(accepted.get(0).data()).containsOnly(Map.entry("orgId", "org_1"), Map.entry("invitationId", "inv_1"),
                Map.entry("userId", grace), Map.entry("email", "grace@example.com"), Map.entry("role", "member"),
                Map.entry("acceptedAt", "2026-12-03T10:00:00Z"));

        for (List<LifecycleEvent> events : List.of(created, revoked, accepted)) {
            assertThat(Json.write(events.get(0).data())).doesNotContain("9f86d081").doesNotContain("tokenHash").doesNotContain("expiresAt");
        }
        // written again with the same status, expired by TTL, swept with its organization: nothing
        assertThat(map("MODIFY", pending, invitation("PENDING", Map.of("expiresAt", new BigDecimal(1900000000L))))).isEmpty();
        assertThat(ChangeMapper.map(new StreamChange("rec-1", "REMOVE", AT, true, pending, null))).isEmpty();
        assertThat(map("REMOVE", invitation("REVOKED", Map.of()), null)).isEmpty();
    }

    @Test
    void everyType_theMapperCanProduce_isOneAWebhookMaySubscribeTo() throws Exception {
        java.util.Set<String> declared = new java.util.TreeSet<>();
        for (java.lang.reflect.Field f : EventTypes.class.getFields()) {
            if (f.getType() == String.class) {
                declared.add((String) f.get(null));
            }
        }
        assertThat(EventTypes.ALL).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(declared);
    }

    private static Map<String, Object> passkey(String name) {
        Map<String, Object> item = new HashMap<>();
        item.put("pk", "PASSKEY#" + SUB);
        item.put("sk", "CREDENTIAL#9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        item.put("credentialId", "AAAA");
        item.put("name", name);
        item.put("createdAt", "2026-12-01T00:00:00Z");
        return item;
    }

    @Test
    void aPasskeyItem_addedAndRemoved_isPasskeyAddedAndRemoved_aRenameNothing_andItsExpiryNothing() {
        List<LifecycleEvent> added = map("INSERT", null, passkey("Laptop"));
        assertThat(types(added)).containsExactly("passkey.added");
        assertThat(added.get(0).data()).containsEntry("userId", SUB).containsEntry("passkeyId", "AAAA").containsEntry("name", "Laptop")
                .doesNotContainKeys("pk", "sk", "credentialId");

        List<LifecycleEvent> removed = map("REMOVE", passkey("Laptop"), null);
        assertThat(types(removed)).containsExactly("passkey.removed");
        assertThat(removed.get(0).data()).containsEntry("userId", SUB).containsEntry("passkeyId", "AAAA");

        assertThat(map("MODIFY", passkey("Laptop"), passkey("Work laptop"))).isEmpty();
        assertThat(ChangeMapper.map(new StreamChange("rec-2", "REMOVE", AT, true, passkey("Laptop"), null))).isEmpty();
    }
}
