package dev.userapi.e2e.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.Target;
import java.util.Map;

/** Organizations for the suite: create one, invite and accept through the outbox (local stacks). */
public final class Orgs {
    private Orgs() {
    }

    /** A signed-in test user and their id. */
    public record Member(TestUser user, String token, String id) {
        public static Member fresh(String prefix) {
            TestUser user = TestUsers.confirmed(prefix);
            String token = user.login().accessToken();
            String id = Target.get().api().get("/me").bearer(token).send().json().path("id").asText();
            return new Member(user, token, id);
        }
    }

    /** Creates an organization as {@code owner}; its id. */
    public static String create(String ownerToken, String name) {
        ApiResponse created = Target.get().api().post("/orgs").bearer(ownerToken).json(Map.of("name", name)).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    /** Invites {@code email} with {@code role} as {@code inviterToken}; the token from the outbox. */
    public static String invite(String inviterToken, String orgId, String email, String role) {
        ApiResponse invited = Target.get().api().post("/orgs/" + orgId + "/invitations").bearer(inviterToken)
                .json(Map.of("email", email, "role", role)).send();
        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        return new OutboxClient(Target.get().api()).latestCode(email, "ORG_INVITATION");
    }

    /** Invites and accepts: {@code member} joins with {@code role}. */
    public static void join(String inviterToken, String orgId, Member member, String role) {
        String token = invite(inviterToken, orgId, member.user().email(), role);
        ApiResponse accepted = Target.get().api().post("/invitations/accept").bearer(member.token()).json(Map.of("token", token)).send();
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
    }
}
