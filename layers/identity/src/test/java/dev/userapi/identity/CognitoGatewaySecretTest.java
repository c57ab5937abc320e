package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.testing.SdkMocks;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminRespondToAuthChallengeRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminRespondToAuthChallengeResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DescribeUserPoolClientRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DescribeUserPoolClientResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ForgotPasswordRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ForgotPasswordResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RevokeTokenRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RevokeTokenResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SignUpRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SignUpResponse;

/** docs/SECURITY.md item 31: every call Cognito checks the client secret on carries it, computed over the right name. */
class CognitoGatewaySecretTest {
    private static final String SECRET = "client-secret-0123456789";
    private static final String CLIENT = "client-1";

    private final CognitoIdentityProviderClient cognito = SdkMocks.client(CognitoIdentityProviderClient.class);
    private final CognitoGateway gateway = new CognitoGateway(cognito, "us-east-1_pool", CLIENT);

    @BeforeEach
    void aClientWithASecret() {
        when(cognito.describeUserPoolClient(any(DescribeUserPoolClientRequest.class))).thenAnswer(call -> {
            DescribeUserPoolClientRequest request = call.getArgument(0);
            assertThat(request.userPoolId()).isEqualTo("us-east-1_pool");
            assertThat(request.clientId()).isEqualTo(CLIENT);
            return DescribeUserPoolClientResponse.builder().userPoolClient(c -> c.clientId(CLIENT).clientSecret(SECRET)).build();
        });
    }

    @Test
    void b31_signIn_isAdminUserPasswordAuth_withTheSecretHashOverTheEmail() {
        when(cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenReturn(AdminInitiateAuthResponse.builder()
                .challengeName("SOFTWARE_TOKEN_MFA").session("s").build());
        gateway.login("alice@example.com", "Passw0rd!Passw0rd");

        var sent = ArgumentCaptor.forClass(AdminInitiateAuthRequest.class);
        verify(cognito).adminInitiateAuth(sent.capture());
        assertThat(sent.getValue().authFlow()).isEqualTo(AuthFlowType.ADMIN_USER_PASSWORD_AUTH);
        assertThat(sent.getValue().userPoolId()).isEqualTo("us-east-1_pool");
        assertThat(sent.getValue().authParameters()).containsEntry("SECRET_HASH", SecretHash.of(SECRET, "alice@example.com", CLIENT));
    }

    @Test
    void b31_mfaAnswer_carriesTheSecretHash() {
        when(cognito.adminRespondToAuthChallenge(any(AdminRespondToAuthChallengeRequest.class)))
                .thenReturn(AdminRespondToAuthChallengeResponse.builder().challengeName("SOFTWARE_TOKEN_MFA").session("s2").build());
        gateway.answerMfa("alice@example.com", "s", "123456");

        var sent = ArgumentCaptor.forClass(AdminRespondToAuthChallengeRequest.class);
        verify(cognito).adminRespondToAuthChallenge(sent.capture());
        assertThat(sent.getValue().challengeResponses()).containsEntry("SECRET_HASH", SecretHash.of(SECRET, "alice@example.com", CLIENT));
    }

    @Test
    void b31_challengeAnswers_nameTheUsernameTheChallengeGave_USER_ID_FOR_SRP_withTheSecretHashOverIt_notTheEmail() {
        when(cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenReturn(AdminInitiateAuthResponse.builder()
                .challengeName("SOFTWARE_TOKEN_MFA").session("cognito-session").challengeParameters(java.util.Map.of("USER_ID_FOR_SRP", "3b1f8c9e-sub"))
                .build());
        when(cognito.adminRespondToAuthChallenge(any(AdminRespondToAuthChallengeRequest.class)))
                .thenReturn(AdminRespondToAuthChallengeResponse.builder().challengeName("NEW_PASSWORD_REQUIRED").session("s2")
                        .challengeParameters(java.util.Map.of("USER_ID_FOR_SRP", "3b1f8c9e-sub")).build());
        AuthOutcome.Challenge challenge = (AuthOutcome.Challenge) gateway.login("alice@example.com", "Passw0rd!Passw0rd");
        assertThat(challenge.session()).as("the client's session carries the username").isNotEqualTo("cognito-session");

        AuthOutcome.Challenge next = (AuthOutcome.Challenge) gateway.answerMfa("alice@example.com", challenge.session(), "123456");
        gateway.answerNewPassword("alice@example.com", next.session(), "Another-Passw0rd!");

        var sent = ArgumentCaptor.forClass(AdminRespondToAuthChallengeRequest.class);
        verify(cognito, times(2)).adminRespondToAuthChallenge(sent.capture());
        assertThat(sent.getAllValues().get(0).session()).as("Cognito gets its own session back").isEqualTo("cognito-session");
        assertThat(sent.getAllValues().get(1).session()).isEqualTo("s2");
        for (AdminRespondToAuthChallengeRequest request : sent.getAllValues()) {
            assertThat(request.challengeResponses()).containsEntry("USERNAME", "3b1f8c9e-sub")
                    .containsEntry("SECRET_HASH", SecretHash.of(SECRET, "3b1f8c9e-sub", CLIENT));
        }
    }

    @Test
    void aTamperedChallengeSession_isRefusedAsAnInvalidSession_beforeCognito() {
        for (String session : java.util.List.of("u1.", "u1.%%%.s", "u1.YWxpY2U", "u1..s")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway.answerMfa("alice@example.com", session, "123456"))
                    .as(session).isInstanceOf(dev.userapi.core.problem.InvalidCredentialsException.class);
        }
        verify(cognito, times(0)).adminRespondToAuthChallenge(any(AdminRespondToAuthChallengeRequest.class));
    }

    @Test
    void b31_refresh_computesTheSecretHashOverTheSub_notTheEmail() {
        when(cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenReturn(AdminInitiateAuthResponse.builder()
                .authenticationResult(r -> r.accessToken("a").idToken("i").expiresIn(3600)).build());
        gateway.refresh("3b1f8c9e-sub", "refresh-token");

        var sent = ArgumentCaptor.forClass(AdminInitiateAuthRequest.class);
        verify(cognito).adminInitiateAuth(sent.capture());
        assertThat(sent.getValue().authFlow()).isEqualTo(AuthFlowType.REFRESH_TOKEN_AUTH);
        assertThat(sent.getValue().authParameters()).containsEntry("REFRESH_TOKEN", "refresh-token")
                .containsEntry("SECRET_HASH", SecretHash.of(SECRET, "3b1f8c9e-sub", CLIENT));
    }

    @Test
    void b31_signUpAndCodes_carryTheSecretHash_andRevokeTheSecret_readOnceForTheContainer() {
        when(cognito.signUp(any(SignUpRequest.class))).thenReturn(SignUpResponse.builder().userSub("sub").build());
        when(cognito.forgotPassword(any(ForgotPasswordRequest.class))).thenReturn(ForgotPasswordResponse.builder().build());
        when(cognito.revokeToken(any(RevokeTokenRequest.class))).thenReturn(RevokeTokenResponse.builder().build());

        gateway.signUp("bob@example.com", "Passw0rd!Passw0rd", Optional.empty());
        gateway.forgotPassword("bob@example.com");
        gateway.revoke("refresh-token");

        var signUp = ArgumentCaptor.forClass(SignUpRequest.class);
        verify(cognito).signUp(signUp.capture());
        assertThat(signUp.getValue().secretHash()).isEqualTo(SecretHash.of(SECRET, "bob@example.com", CLIENT));
        var forgot = ArgumentCaptor.forClass(ForgotPasswordRequest.class);
        verify(cognito).forgotPassword(forgot.capture());
        assertThat(forgot.getValue().secretHash()).isEqualTo(SecretHash.of(SECRET, "bob@example.com", CLIENT));
        var revoke = ArgumentCaptor.forClass(RevokeTokenRequest.class);
        verify(cognito).revokeToken(revoke.capture());
        assertThat(revoke.getValue().clientSecret()).isEqualTo(SECRET);
        verify(cognito, times(1)).describeUserPoolClient(any(DescribeUserPoolClientRequest.class));
    }
}
