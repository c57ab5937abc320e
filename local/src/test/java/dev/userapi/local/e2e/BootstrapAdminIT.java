package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.local.DevStack;
import dev.userapi.local.ops.BootstrapAdmin;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.local.testing.StackClients;
import dev.userapi.local.testing.TestStack;
import dev.userapi.local.testing.TestUser;
import dev.userapi.local.testing.TestUsers;
import java.net.URI;
import java.time.Clock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/bootstrap-admin.sh}'s command against the local stack's Cognito and DynamoDB endpoints, as it runs
 * against AWS: the account it creates signs in through the API with the e-mailed temporary password, is an
 * administrator and lists users; an address that already has an account is refused and gains nothing.
 */
class BootstrapAdminIT {
    private final DevStack stack = TestStack.get();
    private final ApiClient api = TestStack.api();
    private final OutboxClient outbox = TestStack.outbox();

    private BootstrapAdmin command() {
        BootstrapAdmin.Settings settings = BootstrapAdmin.parse(new String[] {
            "--region", "us-east-1", "--user-pool-id", stack.userPoolId(), "--table", stack.tableName(), "--email", "unused@example.com",
            "--cognito-endpoint", stack.cognitoCompatEndpoint(), "--dynamodb-endpoint", stack.dynamoDbEndpoint()});
        assertThat(settings.cognitoEndpoint()).contains(URI.create(stack.cognitoCompatEndpoint()));
        return new BootstrapAdmin(StackClients.cognito(), StackClients.dynamoDb(), settings, Clock.systemUTC());
    }

    @Test
    void theCreatedAccount_signsInWithItsTemporaryPassword_andIsAnAdministrator() {
        String email = TestUsers.uniqueEmail("bootstrap");
        BootstrapAdmin.Result result = command().run(email);
        assertThat(result.email()).isEqualTo(email);

        String temporary = outbox.latestCode(email, "TEMPORARY_PASSWORD");
        ApiResponse login = api.post("/auth/login").json(Map.of("email", email, "password", temporary)).send();
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.json().path("challenge").asText()).isEqualTo("NEW_PASSWORD_REQUIRED");
        ApiResponse set = api.post("/auth/login/new-password").json(Map.of("email", email,
                "session", login.json().path("session").asText(), "newPassword", "Boot-Strapped-Admin-9!")).send();
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        String token = set.json().path("accessToken").asText();

        ApiResponse me = api.get("/me").bearer(token).send();
        assertThat(me.json().path("id").asText()).isEqualTo(result.userId());
        assertThat(me.json().path("roles").toString()).contains("\"admin\"", "\"user\"");
        ApiResponse users = api.get("/users?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)).bearer(token).send();
        assertThat(users.status()).as(users.toString()).isEqualTo(200);
        assertThat(users.json().path("items").toString()).contains(result.userId());
    }

    @Test
    void anAddressThatHasAnAccount_isRefused_andGainsNoRole() {
        TestUser existing = TestUsers.confirmed("squatter");
        assertThatThrownBy(() -> command().run(existing.email())).isInstanceOf(BootstrapAdmin.AccountExists.class)
                .hasMessageContaining("exists already");
        ApiResponse me = api.get("/me").bearer(existing.login().accessToken()).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().path("roles").toString()).isEqualTo("[\"user\"]");
    }
}
