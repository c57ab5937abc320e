package dev.userapi.e2e.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The last <em>enabled</em> administrator (issue 16, finding 5; docs/SECURITY.md item 16): an admin
 * promotes B, disables B, then tries to demote or delete itself. The seeded administrator plays the
 * admin: the test first demotes the administrators other tests left behind (throwaway accounts), so the
 * seeded one and B are the only ones; with the fix the seeded one is never demoted.
 */
class LastAdminIT {
    private final ApiClient api = Target.get().api();

    private String idOf(String token) {
        return api.get("/me").bearer(token).send().json().path("id").asText();
    }

    private List<String> enabledAdminsBut(String token, String keep) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            String query = "/users?role=admin&status=ENABLED&limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            ApiResponse page = api.get(query).bearer(token).send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            for (JsonNode item : page.json().path("items")) {
                if (!item.path("id").asText().equals(keep)) {
                    ids.add(item.path("id").asText());
                }
            }
            cursor = page.json().path("nextCursor").isTextual() ? page.json().path("nextCursor").asText() : null;
        } while (cursor != null);
        return ids;
    }

    @Test
    void b16_promoteB_disableB_thenTheAdminDemotingOrDeletingItself_is409() {
        Requires.disposableStack("demotes every other administrator");
        Requires.admin();
        TestUser seeded = Admins.seeded();
        String admin = seeded.login().accessToken();
        String adminId = idOf(admin);
        List<String> others = enabledAdminsBut(admin, adminId);
        try {
            for (String other : others) {
                ApiResponse demoted = api.put("/users/" + other + "/roles").bearer(admin).json(Map.of("roles", List.of("user"))).send();
                assertThat(demoted.status()).as(demoted.toString()).isEqualTo(200);
            }
            lastEnabledAdminHoldsOn(seeded, admin, adminId);
        } finally {
            // the stack's other administrators (the bootstrap one the browser tests sign in as, too) get their role back
            String restorer = seeded.login().accessToken();
            for (String other : others) {
                api.put("/users/" + other + "/roles").bearer(restorer).json(Map.of("roles", List.of("user", "admin"))).send();
            }
        }
    }

    private void lastEnabledAdminHoldsOn(TestUser seeded, String admin, String adminId) {
        TestUser b = TestUsers.confirmed("b16-b");
        String bId = idOf(b.login().accessToken());
        assertThat(api.put("/users/" + bId + "/roles").bearer(admin).json(Map.of("roles", List.of("user", "admin"))).send().status())
                .isEqualTo(200);
        assertThat(api.post("/users/" + bId + "/disable").bearer(admin).send().status()).isEqualTo(204);

        ApiResponse demoteSelf = api.put("/users/" + adminId + "/roles").bearer(admin).json(Map.of("roles", List.of("user"))).send();
        ApiResponse deleteSelf = api.delete("/me").bearer(admin).send();

        assertThat(demoteSelf.status()).as(demoteSelf.toString()).isEqualTo(409);
        assertThat(demoteSelf.json().path("code").asText()).isEqualTo("Conflict");
        assertThat(deleteSelf.status()).as(deleteSelf.toString()).isEqualTo(409);
        String fresh = seeded.login().accessToken();
        assertThat(api.get("/me").bearer(fresh).send().json().path("roles").toString()).contains("admin");
        assertThat(enabledAdminsBut(fresh, "")).containsExactly(adminId);

        // enabling B counts it again: B may then give up its own role, which leaves the seeded administrator
        assertThat(api.post("/users/" + bId + "/enable").bearer(fresh).send().status()).isEqualTo(204);
        ApiResponse bSteppingDown = api.put("/users/" + bId + "/roles").bearer(fresh).json(Map.of("roles", List.of("user"))).send();
        assertThat(bSteppingDown.status()).as(bSteppingDown.toString()).isEqualTo(200);
    }
}
