package dev.userapi.e2e.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import dev.userapi.e2e.client.Tokens;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;

/**
 * docs/SECURITY.md item 31: nothing goes around the API. The app client's id is in every token, so an
 * attacker knows it; calling Cognito with it directly — sign up, sign in with a password, ask for a
 * reset code, refresh a stolen refresh token — is refused, because the client has a secret (only the
 * API's functions can read it) and allows only the server-side, IAM-authorised sign-in. So the API's
 * throttles, attempt limits, uniform answers and session registry always apply.
 */
class CognitoBypassIT {
    private CognitoIdentityProviderClient cognito;
    private String clientId;

    @BeforeEach
    void access() {
        Requires.cognito();
        cognito = Target.get().cognito().orElseThrow();
        clientId = Target.get().userPoolClientId();
    }

    @Test
    void b31_signUpAtCognito_withThePublicClientId_isRefused() {
        String email = TestUsers.uniqueEmail("b31-signup");
        assertThatThrownBy(() -> cognito.signUp(r -> r.clientId(clientId).username(email).password(TestUsers.PASSWORD)
                .userAttributes(AttributeType.builder().name("email").value(email).build())))
                .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("secret");
        assertThat(TestUsers.cognitoUsers().sub(email)).as("no account was made").isEmpty();
    }

    @Test
    void b31_passwordSignInAtCognito_isRefused_withOrWithoutAGuessedSecretHash() {
        TestUser user = TestUsers.confirmed("b31-signin");
        for (Map<String, String> parameters : java.util.List.of(
                Map.of("USERNAME", user.email(), "PASSWORD", user.password()),
                Map.of("USERNAME", user.email(), "PASSWORD", user.password(), "SECRET_HASH", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))) {
            // USER_AUTH too: the client allows it for the API's passkey and e-mail-code sign-ins, with the secret hash
            for (AuthFlowType flow : java.util.List.of(AuthFlowType.USER_PASSWORD_AUTH, AuthFlowType.USER_SRP_AUTH, AuthFlowType.USER_AUTH)) {
                assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId).authFlow(flow).authParameters(parameters)))
                        .as(flow + " " + parameters.keySet()).isInstanceOf(CognitoIdentityProviderException.class);
            }
        }
        assertThat(user.login().accessToken()).as("through the API, the same password works").isNotBlank();
    }

    @Test
    void b31_forgotPasswordAtCognito_isRefused() {
        TestUser user = TestUsers.confirmed("b31-forgot");
        assertThatThrownBy(() -> cognito.forgotPassword(r -> r.clientId(clientId).username(user.email())))
                .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("secret");
        assertThatThrownBy(() -> cognito.resendConfirmationCode(r -> r.clientId(clientId).username(user.email())))
                .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("secret");
    }

    @Test
    void b31_refreshAtCognito_ofARefreshTokenTheApiIssued_isRefused() {
        Tokens tokens = TestUsers.confirmed("b31-refresh").login();
        assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(Map.of("REFRESH_TOKEN", tokens.refreshToken()))))
                .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("secret");
        assertThat(Target.get().api().post("/auth/refresh").json(Map.of("refreshToken", tokens.refreshToken())).send().status())
                .as("through the API, the same refresh token works").isEqualTo(200);
    }
}
