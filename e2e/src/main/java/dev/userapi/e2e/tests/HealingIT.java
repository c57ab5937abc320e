package dev.userapi.e2e.tests;

import dev.userapi.e2e.Requires;
import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.Race;
import dev.userapi.e2e.client.Admins;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.Table;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUsers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * docs/SECURITY.md item 24: Cognito and DynamoDB are two systems, and an account can exist in Cognito
 * without a profile (made outside the API — a console, a script, a migration — or whose
 * post-confirmation trigger failed). Such a user signs in and gets a healed profile with the
 * default role, from {@code POST /auth/login} or from {@code GET /me}; concurrent heals make one
 * profile; the Cognito groups mirror it.
 */
class HealingIT {
    private final ApiClient api = Target.get().api();
    private CognitoIdentityProviderClient cognito;

    @org.junit.jupiter.api.BeforeEach
    void access() {
        Requires.cognito();
        Requires.dynamoDb();
        Requires.admin();
        cognito = Target.get().cognito().orElseThrow();
    }

    /** An account created directly in Cognito with a permanent password: no trigger ran, no profile exists. */
    private String createdOutsideTheApi(String email, String password) {
        String sub = TestUsers.cognitoUsers().create(email, password, "Outsider");
        assertThat(profileItems(sub)).as("no profile before the heal").isEmpty();
        return sub;
    }

    @Test
    void d24_userCreatedOutsideTheApi_getsAHealedProfile_whenSigningInThroughTheApi() {
        String email = TestUsers.uniqueEmail("d24-login");
        String sub = createdOutsideTheApi(email, TestUsers.PASSWORD);

        ApiResponse login = api.post("/auth/login").json(Map.of("email", email, "password", TestUsers.PASSWORD)).send();
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(profileItems(sub)).hasSize(1);

        ApiResponse me = api.get("/me").bearer(login.json().path("accessToken").asText()).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().path("id").asText()).isEqualTo(sub);
        assertThat(me.json().path("email").asText()).isEqualTo(email);
        assertThat(me.json().path("roles").toString()).isEqualTo("[\"user\"]");
        groupFollowsAtTheNextRoleChange(sub);
    }

    @Test
    void d24_userCreatedOutsideTheApi_withATokenFromCognito_getsAHealedProfileFromGetMe_exactlyOnce() throws Exception {
        String email = TestUsers.uniqueEmail("d24-me");
        String sub = createdOutsideTheApi(email, TestUsers.PASSWORD);
        String token = TestUsers.cognitoUsers().signIn(Target.get().userPoolClientId(), email, TestUsers.PASSWORD).accessToken();

        List<ApiResponse> answers = Race.run(10, () -> api.get("/me").bearer(token).send());

        assertThat(answers).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().path("id").asText()).isEqualTo(sub);
            assertThat(r.json().path("name").asText()).isEqualTo("Outsider");
            assertThat(r.json().path("version").asLong()).isEqualTo(1);
        });
        assertThat(profileItems(sub)).as("ten concurrent heals, one profile").hasSize(1);
        var roleItems = Table.roleItems(sub);
        assertThat(roleItems).extracting(i -> i.get("role").s()).containsExactly("user");
        assertThat(api.get("/users?email=" + email).bearer(Admins.token()).send().json().path("items")).hasSize(1);
        groupFollowsAtTheNextRoleChange(sub);
    }

    /**
     * The healed account's role is in DynamoDB (the authorizer and the tokens read it there); its Cognito group, a
     * mirror, is not written by the public function that healed it — none holds a group action (docs/DEPLOY.md,
     * least privilege) — and follows at the next role change.
     */
    private void groupFollowsAtTheNextRoleChange(String sub) {
        assertThat(groups(sub)).as("a public function put nobody in a group").isEmpty();
        ApiResponse roles = api.put("/users/" + sub + "/roles").bearer(Admins.token()).json(Map.of("roles", List.of("user"))).send();
        assertThat(roles.status()).as(roles.toString()).isEqualTo(200);
        assertThat(groups(sub)).containsExactly("user");
    }

    private List<Map<String, AttributeValue>> profileItems(String sub) {
        return Table.profileItems(sub);
    }

    private List<String> groups(String sub) {
        return cognito.adminListGroupsForUser(r -> r.userPoolId(Target.get().userPoolId()).username(sub)).groups().stream()
                .map(GroupType::groupName).sorted().toList();
    }
}
