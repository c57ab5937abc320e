package dev.userapi.auth;

import static dev.userapi.auth.AuthFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.userapi.core.testing.ApiEvents;
import dev.userapi.core.user.Session;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminRespondToAuthChallengeRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminRespondToAuthChallengeResponse;

/** {@code POST /auth/reauthenticate} ("sudo mode", docs/SECURITY.md item 32) with Cognito mocked at the SDK boundary. */
class ReauthenticateHandlerTest {
    private final AuthFixture f = new AuthFixture();

    @BeforeEach
    void profile() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        when(f.users.find(SUB)).thenReturn(Optional.of(new UserProfile(SUB, "new.user@example.com", null, null, null, null,
                List.of("user"), UserStatus.ENABLED, false, t, t, 1)));
        f.profileIs(UserStatus.ENABLED, OptionalLong.empty());
    }

    private APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
        return new ReauthenticateHandler(f.auth, f.cors).handleRequest(event, null);
    }

    private static void assertProblem(APIGatewayProxyResponseEvent response, int status, String code) {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(ApiEvents.body(response).get("code").asText()).isEqualTo(code);
    }

    @ParameterizedTest
    @Event(value = "events/reauthenticate.json", type = APIGatewayProxyRequestEvent.class)
    void b32_theRightPassword_signsTheCallerInAgain_withANewSession(APIGatewayProxyRequestEvent event) {
        when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class)))
                .thenReturn(AdminInitiateAuthResponse.builder().authenticationResult(AuthFixture.tokens()).build());

        var response = call(event);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(ApiEvents.body(response).get("accessToken").asText()).isNotBlank();
        assertThat(ApiEvents.body(response).get("refreshToken").asText()).isEqualTo("refresh-token-value");
        var signIn = ArgumentCaptor.forClass(AdminInitiateAuthRequest.class);
        verify(f.cognito).adminInitiateAuth(signIn.capture());
        assertThat(signIn.getValue().authParameters()).containsEntry("USERNAME", "new.user@example.com")
                .containsEntry("PASSWORD", "Correct-Horse-42!");
        verify(f.sessions).put(any(Session.class));
    }

    @ParameterizedTest
    @Event(value = "events/reauthenticate.json", type = APIGatewayProxyRequestEvent.class)
    void b32_aWrongPassword_is403InvalidCredentials_not401(APIGatewayProxyRequestEvent event) {
        when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class)))
                .thenThrow(NotAuthorizedException.builder().message("Incorrect username or password.").build());
        assertProblem(call(event), 403, "InvalidCredentials");
        verify(f.sessions, never()).put(any());
    }

    @ParameterizedTest
    @Event(value = "events/reauthenticate.json", type = APIGatewayProxyRequestEvent.class)
    void b32_withTotpOn_thePasswordAloneIs403_andAWrongCodeToo_theRightCodeSignsIn(APIGatewayProxyRequestEvent event) {
        when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenReturn(AdminInitiateAuthResponse.builder()
                .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA).session("mfa-session").build());
        assertProblem(call(event), 403, "InvalidCredentials");

        event.setBody("{\"password\":\"Correct-Horse-42!\",\"code\":\"123456\"}");
        when(f.cognito.adminRespondToAuthChallenge(any(AdminRespondToAuthChallengeRequest.class)))
                .thenThrow(CodeMismatchException.builder().build());
        assertProblem(call(event), 403, "InvalidCredentials");

        org.mockito.Mockito.reset(f.cognito);
        when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenReturn(AdminInitiateAuthResponse.builder()
                .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA).session("mfa-session").build());
        when(f.cognito.adminRespondToAuthChallenge(any(AdminRespondToAuthChallengeRequest.class)))
                .thenReturn(AdminRespondToAuthChallengeResponse.builder().authenticationResult(AuthFixture.tokens()).build());
        assertThat(call(event).getStatusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @Event(value = "events/reauthenticate.json", type = APIGatewayProxyRequestEvent.class)
    void b32_theCallersOwnSession_isReplaced_itsAccessTokensRefused_andItsSessionItemGone(APIGatewayProxyRequestEvent event) {
        event.getHeaders().put("Authorization", "Bearer " + AuthFixture.accessToken(SUB, 1, "origin-of-the-old-session"));
        when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class)))
                .thenReturn(AdminInitiateAuthResponse.builder().authenticationResult(AuthFixture.tokens()).build());
        when(f.sessions.listForUser(SUB)).thenReturn(List.of(
                new Session("old-hash", "old", SUB, Instant.EPOCH, Instant.EPOCH, "203.0.113.7", "ua", "origin-of-the-old-session"),
                new Session("other-hash", "other", SUB, Instant.EPOCH, Instant.EPOCH, "203.0.113.7", "ua", "another-device")));

        assertThat(call(event).getStatusCode()).isEqualTo(200);
        verify(f.users).revokeSession(eq(SUB), eq("origin-of-the-old-session"), anyLong());
        verify(f.sessions).delete("old-hash");
        verify(f.sessions, never()).delete("other-hash");
    }

    @ParameterizedTest
    @Event(value = "events/reauthenticate.json", type = APIGatewayProxyRequestEvent.class)
    void reauthenticate_withoutTheAuthorizersContext_is401(APIGatewayProxyRequestEvent event) {
        event.getRequestContext().setAuthorizer(null);
        assertProblem(call(event), 401, "Unauthorized");
    }
}
