package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.e2e.client.Orgs;
import dev.userapi.e2e.client.Orgs.Member;
import dev.userapi.e2e.client.Race;
import dev.userapi.e2e.client.TestUsers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Organizations and invitations (issue 19; docs/SECURITY.md item 35) over HTTP: every route, the last-owner guard
 * (also racing and through account deletion), single-use invitations under races, and no cross-tenant reads or
 * writes through ids or cursors.
 */
class OrgsIT {
    private final ApiClient api = Target.get().api();

    @BeforeEach
    void local() {
        Requires.outbox(); // invitation tokens are read from the local outbox
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private List<String> roles(String token, String orgId) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : api.get("/orgs/" + orgId + "/members?limit=100").bearer(token).send().json().path("items")) {
            out.add(m.path("role").asText());
        }
        return out;
    }

    @Test
    void b35_everyRoute_createListReadRenameInviteAcceptChangeRoleRemoveRevokeDelete() {
        Member owner = Member.fresh("org-owner");
        Member ann = Member.fresh("org-ann");

        ApiResponse created = api.post("/orgs").bearer(owner.token()).json(Map.of("name", "Acme")).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("role").asText()).isEqualTo("owner");
        assertThat(created.json().path("createdAt").asText()).isNotBlank();
        String orgId = created.json().path("id").asText();

        ApiResponse mine = api.get("/orgs").bearer(owner.token()).send();
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.json().path("items").toString()).contains(orgId, "\"role\":\"owner\"", "Acme");

        ApiResponse renamed = api.patch("/orgs/" + orgId).bearer(owner.token()).json(Map.of("name", "Acme Europe")).send();
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().path("name").asText()).isEqualTo("Acme Europe");

        // invitation: e-mailed token (outbox kind ORG_INVITATION), listed without the token, accepted once
        ApiResponse invited = api.post("/orgs/" + orgId + "/invitations").bearer(owner.token())
                .json(Map.of("email", ann.user().email().toUpperCase(java.util.Locale.ROOT), "role", "admin")).send();
        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        assertThat(invited.json().path("email").asText()).isEqualTo(ann.user().email());
        assertThat(invited.json().path("expiresAt").asText()).isNotBlank();
        assertThat(invited.body()).doesNotContain("token");
        String token = new OutboxClient(api).latestCode(ann.user().email(), "ORG_INVITATION");
        assertThat(token).hasSize(43);
        ApiResponse pending = api.get("/orgs/" + orgId + "/invitations").bearer(owner.token()).send();
        assertThat(pending.json().path("items").get(0).path("status").asText()).isEqualTo("PENDING");
        assertThat(pending.body()).doesNotContain(token);

        ApiResponse accepted = api.post("/invitations/accept").bearer(ann.token()).json(Map.of("token", token)).send();
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().path("orgId").asText()).isEqualTo(orgId);
        assertThat(accepted.json().path("role").asText()).isEqualTo("admin");
        assertProblem(api.post("/invitations/accept").bearer(ann.token()).json(Map.of("token", token)).send(), 410, "Gone");
        assertThat(api.get("/orgs/" + orgId + "/invitations").bearer(owner.token()).send().json().path("items").get(0).path("status").asText())
                .isEqualTo("ACCEPTED");

        ApiResponse org = api.get("/orgs/" + orgId).bearer(ann.token()).send();
        assertThat(org.status()).isEqualTo(200);
        assertThat(org.json().path("memberCount").asInt()).isEqualTo(2);
        ApiResponse members = api.get("/orgs/" + orgId + "/members").bearer(ann.token()).send();
        assertThat(members.status()).isEqualTo(200);
        assertThat(members.json().path("items").toString()).contains(ann.user().email(), owner.user().email(), "joinedAt");

        ApiResponse demoted = api.put("/orgs/" + orgId + "/members/" + ann.id() + "/role").bearer(owner.token()).json(Map.of("role", "member")).send();
        assertThat(demoted.status()).as(demoted.toString()).isEqualTo(200);
        assertThat(demoted.json().path("role").asText()).isEqualTo("member");
        assertThat(demoted.json().path("userId").asText()).isEqualTo(ann.id());
        // takes effect at the next request: a member may not rename
        assertProblem(api.patch("/orgs/" + orgId).bearer(ann.token()).json(Map.of("name", "x")).send(), 403, "Forbidden");

        // revoke: the token stops working
        String second = Orgs.invite(owner.token(), orgId, TestUsers.uniqueEmail("org-nobody"), "member");
        String invitationId = api.get("/orgs/" + orgId + "/invitations").bearer(owner.token()).send().json().path("items").get(0).path("id").asText();
        assertThat(api.delete("/orgs/" + orgId + "/invitations/" + invitationId).bearer(owner.token()).send().status()).isEqualTo(204);
        assertThat(api.get("/orgs/" + orgId + "/invitations").bearer(owner.token()).send().body()).contains("REVOKED");
        assertThat(second).isNotBlank();

        assertThat(api.delete("/orgs/" + orgId + "/members/" + ann.id()).bearer(owner.token()).send().status()).isEqualTo(204);
        assertProblem(api.get("/orgs/" + orgId).bearer(ann.token()).send(), 404, "NotFound");

        assertThat(api.delete("/orgs/" + orgId).bearer(owner.token()).send().status()).isEqualTo(204);
        assertProblem(api.get("/orgs/" + orgId).bearer(owner.token()).send(), 404, "NotFound");
        assertThat(api.get("/orgs").bearer(owner.token()).send().body()).doesNotContain(orgId);
    }

    @Test
    void b35_invitations_boundToTheInvitedAddress_expiredRevokedUsedOrUnknownAre410() {
        Member owner = Member.fresh("org-inv-owner");
        Member invitee = Member.fresh("org-inv-invitee");
        Member other = Member.fresh("org-inv-other");
        String orgId = Orgs.create(owner.token(), "Bound");
        String token = Orgs.invite(owner.token(), orgId, invitee.user().email(), "member");

        assertProblem(api.post("/invitations/accept").bearer(other.token()).json(Map.of("token", token)).send(), 403, "Forbidden");
        assertProblem(api.post("/invitations/accept").bearer(other.token()).json(Map.of("token", "A".repeat(43))).send(), 410, "Gone");
        assertProblem(api.post("/invitations/accept").bearer(other.token()).json(Map.of("token", "short")).send(), 410, "Gone");
        assertProblem(api.post("/invitations/accept").json(Map.of("token", token)).send(), 401, "Unauthorized");

        String id = api.get("/orgs/" + orgId + "/invitations").bearer(owner.token()).send().json().path("items").get(0).path("id").asText();
        assertThat(api.delete("/orgs/" + orgId + "/invitations/" + id).bearer(owner.token()).send().status()).isEqualTo(204);
        assertProblem(api.post("/invitations/accept").bearer(invitee.token()).json(Map.of("token", token)).send(), 410, "Gone");

        // an admin may not invite an owner
        Member admin = Member.fresh("org-inv-admin");
        Orgs.join(owner.token(), orgId, admin, "admin");
        assertProblem(api.post("/orgs/" + orgId + "/invitations").bearer(admin.token())
                .json(Map.of("email", other.user().email(), "role", "owner")).send(), 403, "Forbidden");
        // a deleted organization's invitations are gone too
        String late = Orgs.invite(owner.token(), orgId, other.user().email(), "member");
        assertThat(api.delete("/orgs/" + orgId).bearer(owner.token()).send().status()).isEqualTo(204);
        assertProblem(api.post("/invitations/accept").bearer(other.token()).json(Map.of("token", late)).send(), 410, "Gone");
    }

    @Test
    void b35_anAddressWithoutAnAccount_isInvited_thenSignsUp_confirms_andAccepts() {
        Member owner = Member.fresh("org-pre-owner");
        String orgId = Orgs.create(owner.token(), "Before sign-up");
        String email = TestUsers.uniqueEmail("org-pre-invitee");
        String token = Orgs.invite(owner.token(), orgId, email, "admin");

        ApiResponse signedUp = api.post("/auth/sign-up").json(Map.of("email", email, "password", TestUsers.PASSWORD)).send();
        assertThat(signedUp.status()).as(signedUp.toString()).isEqualTo(202);
        String code = new OutboxClient(api).confirmationCode(email);
        ApiResponse confirmed = api.post("/auth/confirm").json(Map.of("email", email, "code", code, "password", TestUsers.PASSWORD)).send();
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        String access = confirmed.json().path("accessToken").asText();

        ApiResponse accepted = api.post("/invitations/accept").bearer(access).json(Map.of("token", token)).send();
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().path("role").asText()).isEqualTo("admin");
        assertThat(api.get("/orgs").bearer(access).send().json().path("items").toString()).contains(orgId, "\"role\":\"admin\"");
    }

    @Test
    void b35_anAccountAnAdministratorCreated_acceptsAfterSettingItsPassword() {
        Requires.admin();
        Member owner = Member.fresh("org-made-owner");
        String orgId = Orgs.create(owner.token(), "Admin-made");
        String email = TestUsers.uniqueEmail("org-made");
        ApiResponse created = api.post("/users").bearer(Admins.token()).json(Map.of("email", email, "name", "Made")).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = Orgs.invite(owner.token(), orgId, email, "member");

        String temporary = new OutboxClient(api).latestCode(email, "TEMPORARY_PASSWORD");
        ApiResponse login = api.post("/auth/login").json(Map.of("email", email, "password", temporary)).send();
        assertThat(login.json().path("challenge").asText()).as(login.toString()).isEqualTo("NEW_PASSWORD_REQUIRED");
        ApiResponse set = api.post("/auth/login/new-password").json(Map.of("email", email,
                "session", login.json().path("session").asText(), "newPassword", TestUsers.PASSWORD)).send();
        assertThat(set.status()).as(set.toString()).isEqualTo(200);

        ApiResponse accepted = api.post("/invitations/accept").bearer(set.json().path("accessToken").asText()).json(Map.of("token", token)).send();
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(roles(owner.token(), orgId)).containsExactlyInAnyOrder("owner", "member");
    }

    @Test
    void b35_anExpiredInvitation_is410_andListedAsExpired() {
        Requires.dynamoDb();
        Requires.disposableStack("writes an invitation's expiry into the table");
        Member owner = Member.fresh("org-exp-owner");
        Member invitee = Member.fresh("org-exp-invitee");
        String orgId = Orgs.create(owner.token(), "Expiry");
        String token = Orgs.invite(owner.token(), orgId, invitee.user().email(), "member");
        String id = api.get("/orgs/" + orgId + "/invitations").bearer(owner.token()).send().json().path("items").get(0).path("id").asText();
        // seven days cannot pass in a test: the invitation's validity is moved into the past where the API keeps it
        Target.get().dynamoDb().orElseThrow().updateItem(r -> r.tableName(Target.get().tableName())
                .key(Map.of("pk", AttributeValue.fromS("ORG#" + orgId), "sk", AttributeValue.fromS("INVITATION#" + id)))
                .updateExpression("SET validUntil = :past").conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":past", AttributeValue.fromN(Long.toString(System.currentTimeMillis() - 1000)))));

        ApiResponse expired = api.post("/invitations/accept").bearer(invitee.token()).json(Map.of("token", token)).send();
        assertProblem(expired, 410, "Gone");
        assertThat(expired.body()).contains("expired");
        assertThat(api.get("/orgs/" + orgId + "/invitations").bearer(owner.token()).send().json().path("items").get(0).path("status").asText())
                .isEqualTo("EXPIRED");
        assertThat(roles(owner.token(), orgId)).containsExactly("owner");
    }

    @Test
    void b35_aRemovedAdmin_cannotComeBackThroughAnInvitationToTheirAddress_norInviteThemselves() {
        Member owner = Member.fresh("org-back-owner");
        Member admin = Member.fresh("org-back-admin");
        String orgId = Orgs.create(owner.token(), "No way back");
        String spare = Orgs.invite(owner.token(), orgId, admin.user().email(), "admin"); // sent twice: one is used, one stays
        Orgs.join(owner.token(), orgId, admin, "admin");

        assertProblem(api.post("/orgs/" + orgId + "/invitations").bearer(admin.token())
                .json(Map.of("email", admin.user().email(), "role", "admin")).send(), 409, "Conflict");
        assertThat(api.delete("/orgs/" + orgId + "/members/" + admin.id()).bearer(owner.token()).send().status()).isEqualTo(204);

        assertProblem(api.post("/invitations/accept").bearer(admin.token()).json(Map.of("token", spare)).send(), 410, "Gone");
        assertProblem(api.get("/orgs/" + orgId).bearer(admin.token()).send(), 404, "NotFound");
    }

    @Test
    void b35_lastOwner_cannotBeDemotedRemovedOrLeave_onlyAnOwnerTouchesOwners() {
        Member owner = Member.fresh("org-lo-owner");
        Member admin = Member.fresh("org-lo-admin");
        String orgId = Orgs.create(owner.token(), "Guarded");
        Orgs.join(owner.token(), orgId, admin, "admin");

        assertProblem(api.put("/orgs/" + orgId + "/members/" + owner.id() + "/role").bearer(owner.token()).json(Map.of("role", "admin")).send(),
                409, "Conflict");
        assertProblem(api.delete("/orgs/" + orgId + "/members/" + owner.id()).bearer(owner.token()).send(), 409, "Conflict");
        assertProblem(api.put("/orgs/" + orgId + "/members/" + owner.id() + "/role").bearer(admin.token()).json(Map.of("role", "member")).send(),
                403, "Forbidden");
        assertProblem(api.delete("/orgs/" + orgId + "/members/" + owner.id()).bearer(admin.token()).send(), 403, "Forbidden");
        assertProblem(api.put("/orgs/" + orgId + "/members/" + admin.id() + "/role").bearer(admin.token()).json(Map.of("role", "owner")).send(),
                403, "Forbidden");

        // after a transfer the former owner may leave
        assertThat(api.put("/orgs/" + orgId + "/members/" + admin.id() + "/role").bearer(owner.token()).json(Map.of("role", "owner")).send().status())
                .isEqualTo(200);
        assertThat(api.delete("/orgs/" + orgId + "/members/" + owner.id()).bearer(owner.token()).send().status()).isEqualTo(204);
        assertThat(roles(admin.token(), orgId)).containsExactly("owner");
    }

    @Test
    void b35_deletingTheAccountOfALastOwner_is409UntilOwnershipIsTransferred_thenItsMembershipsGo() {
        Member owner = Member.fresh("org-del-owner");
        Member other = Member.fresh("org-del-other");
        String orgId = Orgs.create(owner.token(), "Deletion");
        Orgs.join(owner.token(), orgId, other, "member");

        assertProblem(api.delete("/me").bearer(owner.token()).send(), 409, "Conflict");
        assertProblem(api.delete("/users/" + owner.id()).bearer(Admins.token()).send(), 409, "Conflict");
        assertThat(api.get("/me").bearer(owner.token()).send().status()).as("nothing was deleted").isEqualTo(200);
        assertThat(roles(other.token(), orgId)).containsExactlyInAnyOrder("owner", "member");

        assertThat(api.put("/orgs/" + orgId + "/members/" + other.id() + "/role").bearer(owner.token()).json(Map.of("role", "owner")).send().status())
                .isEqualTo(200);
        assertThat(api.delete("/users/" + owner.id()).bearer(Admins.token()).send().status()).isEqualTo(204);
        assertThat(roles(other.token(), orgId)).containsExactly("owner");
        assertThat(api.get("/orgs/" + orgId).bearer(other.token()).send().json().path("memberCount").asInt()).isEqualTo(1);
    }

    @Test
    void b35_twoOwnersDemotingEachOtherOrLeavingConcurrently_neverLeaveZeroOwners() throws Exception {
        for (int round = 0; round < 3; round++) {
            Member a = Member.fresh("org-race-a");
            Member b = Member.fresh("org-race-b");
            String orgId = Orgs.create(a.token(), "Race");
            Orgs.join(a.token(), orgId, b, "owner");

            List<ApiResponse> demotions = Race.run(2, i -> () -> {
                Member actor = i == 0 ? a : b;
                Member target = i == 0 ? b : a;
                return api.put("/orgs/" + orgId + "/members/" + target.id() + "/role").bearer(actor.token()).json(Map.of("role", "member")).send();
            });
            assertThat(demotions.stream().filter(r -> r.status() == 200).count()).as(demotions.toString()).isEqualTo(1);
            assertThat(demotions).allMatch(r -> r.status() == 200 || r.status() == 409 || r.status() == 403);
            String reader = demotions.get(0).status() == 200 ? a.token() : b.token();
            assertThat(roles(reader, orgId)).containsExactlyInAnyOrder("owner", "member");
        }

        Member a = Member.fresh("org-leave-a");
        Member b = Member.fresh("org-leave-b");
        String orgId = Orgs.create(a.token(), "Leave");
        Orgs.join(a.token(), orgId, b, "owner");
        List<ApiResponse> leaves = Race.run(2, i -> () -> {
            Member m = i == 0 ? a : b;
            return api.delete("/orgs/" + orgId + "/members/" + m.id()).bearer(m.token()).send();
        });
        assertThat(leaves.stream().map(ApiResponse::status).toList()).containsExactlyInAnyOrder(204, 409);
        String stayed = leaves.get(0).status() == 204 ? b.token() : a.token();
        assertThat(roles(stayed, orgId)).containsExactly("owner");
    }

    @Test
    void b35_tenParallelAccepts_ofOneInvitation_exactlyOne200() throws Exception {
        Member owner = Member.fresh("org-acc-owner");
        Member invitee = Member.fresh("org-acc-invitee");
        String orgId = Orgs.create(owner.token(), "Once");
        String token = Orgs.invite(owner.token(), orgId, invitee.user().email(), "member");

        List<ApiResponse> answers = Race.run(10, () -> api.post("/invitations/accept").bearer(invitee.token()).json(Map.of("token", token)).send());

        assertThat(answers.stream().filter(r -> r.status() == 200).count()).as(answers.toString()).isEqualTo(1);
        assertThat(answers.stream().filter(r -> r.status() != 200)).allSatisfy(r -> assertProblem(r, 410, "Gone"));
        assertThat(api.get("/orgs/" + orgId).bearer(owner.token()).send().json().path("memberCount").asInt()).isEqualTo(2);
    }

    @Test
    void b35_crossTenant_idsAndCursorsOfOrgA_doNothingInOrgB() {
        Member alice = Member.fresh("org-x-alice");
        Member bob = Member.fresh("org-x-bob");
        Member carol = Member.fresh("org-x-carol");
        Member dave = Member.fresh("org-x-dave");
        String orgA = Orgs.create(alice.token(), "Tenant A");
        String orgB = Orgs.create(bob.token(), "Tenant B");
        Orgs.join(alice.token(), orgA, carol, "member");
        Orgs.join(alice.token(), orgA, dave, "member");
        Orgs.invite(alice.token(), orgA, TestUsers.uniqueEmail("org-x-inv"), "member");
        String invitationOfA = api.get("/orgs/" + orgA + "/invitations").bearer(alice.token()).send().json().path("items").get(0).path("id").asText();

        // Bob (owner of B) uses A's member and invitation ids in B's routes: they name nothing there
        assertProblem(api.put("/orgs/" + orgB + "/members/" + carol.id() + "/role").bearer(bob.token()).json(Map.of("role", "admin")).send(),
                404, "NotFound");
        assertProblem(api.delete("/orgs/" + orgB + "/members/" + carol.id()).bearer(bob.token()).send(), 404, "NotFound");
        assertProblem(api.delete("/orgs/" + orgB + "/invitations/" + invitationOfA).bearer(bob.token()).send(), 404, "NotFound");
        // and A's routes are 404 for him, the same as an organization that does not exist
        ApiResponse onA = api.get("/orgs/" + orgA + "/members").bearer(bob.token()).send();
        ApiResponse onNothing = api.get("/orgs/" + UUID.randomUUID() + "/members").bearer(bob.token()).send();
        assertProblem(onA, 404, "NotFound");
        assertThat(onA.body().replace(onA.json().path("requestId").asText(), "")).isEqualTo(
                onNothing.body().replace(onNothing.json().path("requestId").asText(), ""));
        assertThat(roles(alice.token(), orgA)).hasSize(3);

        // cursors: A's member cursor in B, another caller's cursor, and the "my orgs" cursor in a member listing are 400
        ApiResponse page = api.get("/orgs/" + orgA + "/members?limit=1").bearer(alice.token()).send();
        String cursor = page.json().path("nextCursor").asText();
        assertThat(cursor).isNotBlank();
        assertThat(api.get("/orgs/" + orgA + "/members?limit=1&cursor=" + enc(cursor)).bearer(alice.token()).send().status()).isEqualTo(200);
        assertProblem(api.get("/orgs/" + orgB + "/members?limit=1&cursor=" + enc(cursor)).bearer(bob.token()).send(), 400, "InvalidRequest");
        assertProblem(api.get("/orgs/" + orgA + "/members?limit=1&cursor=" + enc(cursor)).bearer(carol.token()).send(), 400, "InvalidRequest");
        Orgs.create(alice.token(), "Tenant A2");
        String mine = api.get("/orgs?limit=1").bearer(alice.token()).send().json().path("nextCursor").asText();
        assertThat(mine).isNotBlank();
        assertProblem(api.get("/orgs?limit=1&cursor=" + enc(mine)).bearer(bob.token()).send(), 400, "InvalidRequest");
        assertProblem(api.get("/orgs/" + orgA + "/members?limit=1&cursor=" + enc(mine)).bearer(alice.token()).send(), 400, "InvalidRequest");
    }
}
