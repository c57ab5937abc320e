package dev.userapi.e2e.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.Orgs;
import dev.userapi.e2e.client.Orgs.Member;
import dev.userapi.e2e.client.TestUsers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorization matrix of the organization routes (docs/SECURITY.md item 35): every {@code /orgs/{orgId}…} route
 * × {non-member, member, admin, owner, global admin}. A non-member (and a global admin writing) gets the same 404 as
 * for an organization that does not exist; a member without the role 403; a global admin may read.
 */
class OrgAuthorizationMatrixIT {
    private static final ApiClient API = Target.get().api();
    private static String orgId;
    private static Map<String, String> tokens;
    private static Member owner;
    private static final List<Member> TARGETS = new ArrayList<>();

    @BeforeAll
    static void org() {
        Requires.outbox();
        Requires.admin();
        owner = Member.fresh("orgm-owner");
        Member admin = Member.fresh("orgm-admin");
        Member member = Member.fresh("orgm-member");
        Member outsider = Member.fresh("orgm-outsider");
        orgId = Orgs.create(owner.token(), "Matrix");
        Orgs.join(owner.token(), orgId, admin, "admin");
        Orgs.join(owner.token(), orgId, member, "member");
        for (int i = 0; i < 4; i++) { // one target member per caller role that may act on members
            Member target = Member.fresh("orgm-target");
            Orgs.join(owner.token(), orgId, target, "member");
            TARGETS.add(target);
        }
        tokens = new LinkedHashMap<>();
        tokens.put("non-member", outsider.token());
        tokens.put("member", member.token());
        tokens.put("admin", admin.token());
        tokens.put("owner", owner.token());
        tokens.put("global admin", Admins.token());
    }

    /** Expected status per caller, in the order of {@link #tokens}. */
    private record Case(String method, String path, Object body, int nonMember, int member, int admin, int owner, int globalAdmin) {
        int expected(String caller) {
            return switch (caller) {
                case "non-member" -> nonMember;
                case "member" -> member;
                case "admin" -> admin;
                case "owner" -> owner;
                default -> globalAdmin;
            };
        }
    }

    private static ApiResponse send(String method, String path, Object body, String token) {
        var request = API.request(method, path).bearer(token);
        if (body != null) {
            request.json(body);
        }
        return request.send();
    }

    private static String invitation() {
        Orgs.invite(owner.token(), orgId, TestUsers.uniqueEmail("orgm-inv"), "member");
        return API.get("/orgs/" + orgId + "/invitations").bearer(owner.token()).send().json().path("items").get(0).path("id").asText();
    }

    @Test
    void b35_everyOrgRoute_byEveryKindOfCaller() {
        String o = "/orgs/" + orgId;
        String target = TARGETS.get(0).id();
        List<Case> cases = new ArrayList<>(List.of(
                new Case("GET", o, null, 404, 200, 200, 200, 200),
                new Case("PATCH", o, Map.of("name", "Matrix"), 404, 403, 200, 200, 404),
                new Case("GET", o + "/members", null, 404, 200, 200, 200, 200),
                new Case("PUT", o + "/members/" + target + "/role", Map.of("role", "member"), 404, 403, 200, 200, 404),
                new Case("POST", o + "/invitations", Map.of("email", TestUsers.uniqueEmail("orgm-x"), "role", "member"), 404, 403, 201, 201, 404),
                new Case("GET", o + "/invitations", null, 404, 403, 200, 200, 200),
                new Case("DELETE", o, null, 404, 403, 403, -1, 404)));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            for (Map.Entry<String, String> caller : tokens.entrySet()) {
                int expected = c.expected(caller.getKey());
                if (expected < 0) {
                    continue; // the owner's DELETE runs last, below
                }
                ApiResponse response = send(c.method(), c.path(), c.body(), caller.getValue());
                if (response.status() != expected) {
                    failures.add(c.method() + " " + c.path() + " as " + caller.getKey() + ": " + response.status() + " expected " + expected);
                }
                if (expected == 404) {
                    // indistinguishable from an organization that does not exist
                    ApiResponse nothing = send(c.method(), c.path().replace(orgId, UUID.randomUUID().toString()), c.body(), caller.getValue());
                    if (!nothing.body().replace(nothing.json().path("requestId").asText(), "")
                            .equals(response.body().replace(response.json().path("requestId").asText(), ""))) {
                        failures.add(c.method() + " " + c.path() + " as " + caller.getKey() + ": the 404 differs from an unknown org's");
                    }
                }
            }
        }
        // removing members and revoking invitations: a target each for admin and owner
        Map<String, Integer> remove = Map.of("non-member", 404, "member", 403, "global admin", 404);
        for (var entry : remove.entrySet()) {
            expect(failures, "DELETE", o + "/members/" + TARGETS.get(1).id(), entry.getKey(), entry.getValue());
            expect(failures, "DELETE", o + "/invitations/" + invitation(), entry.getKey(), entry.getValue());
        }
        expect(failures, "DELETE", o + "/members/" + TARGETS.get(1).id(), "admin", 204);
        expect(failures, "DELETE", o + "/members/" + TARGETS.get(2).id(), "owner", 204);
        expect(failures, "DELETE", o + "/invitations/" + invitation(), "admin", 204);
        expect(failures, "DELETE", o + "/invitations/" + invitation(), "owner", 204);
        // a member may leave (their own id), but not remove another
        expect(failures, "DELETE", o + "/members/" + TARGETS.get(3).id(), "member", 403);
        assertThat(send("DELETE", o + "/members/" + TARGETS.get(3).id(), null, TARGETS.get(3).token()).status()).isEqualTo(204);

        expect(failures, "DELETE", o, "owner", 204);
        assertThat(failures).isEmpty();
        for (String caller : tokens.keySet()) {
            assertThat(send("GET", o, null, tokens.get(caller)).status()).as(caller + " after deletion").isEqualTo(404);
        }
    }

    private static void expect(List<String> failures, String method, String path, String caller, int status) {
        ApiResponse response = send(method, path, null, tokens.get(caller));
        if (response.status() != status) {
            failures.add(method + " " + path + " as " + caller + ": " + response + " expected " + status);
        }
    }

    @Test
    void b35_theOrgListsAndCreation_serveAnySignedInUser_andOnlyTheCallersOrgs() {
        Member someone = Member.fresh("orgm-someone");
        assertThat(API.get("/orgs").bearer(someone.token()).send().json().path("items").size()).isZero();
        String own = Orgs.create(someone.token(), "Own");
        assertThat(API.get("/orgs").bearer(someone.token()).send().json().path("items").toString()).contains(own).doesNotContain(orgId);
    }
}
