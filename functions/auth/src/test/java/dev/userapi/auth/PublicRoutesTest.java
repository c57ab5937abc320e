package dev.userapi.auth;

import static dev.userapi.auth.AuthFixture.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.userapi.core.testing.ApiEvents;
import dev.userapi.core.user.Session;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserStatus;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminSetUserPasswordRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminSetUserPasswordResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminUserGlobalSignOutRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ConfirmForgotPasswordRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ConfirmSignUpRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExpiredCodeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ForgotPasswordRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.LimitExceededException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResendConfirmationCodeRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminRespondToAuthChallengeRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminRespondToAuthChallengeResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RevokeTokenRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SignUpRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SignUpResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnsupportedTokenTypeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotConfirmedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/** Every public route of docs/openapi.yaml: the happy path and each error response, through handler, service and gateway. */
class PublicRoutesTest {
    private final AuthFixture f = new AuthFixture();

    static void assertProblem(APIGatewayProxyResponseEvent response, int status, String code) {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(ApiEvents.header(response, "Content-Type")).isEqualTo("application/problem+json");
        assertThat(ApiEvents.body(response).get("code").asText()).isEqualTo(code);
        assertThat(response.getBody()).doesNotContain("Exception").doesNotContain("Service: CognitoIdentityProvider");
    }

    @Nested
    class Health {
        @ParameterizedTest
        @Event(value = "events/health.json", type = APIGatewayProxyRequestEvent.class)
        void health_returns200Ok(APIGatewayProxyRequestEvent event) {
            var response = new HealthHandler(f.cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getBody()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(ApiEvents.header(response, "Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
        }
    }

    @Nested
    class Preflight {
        @ParameterizedTest
        @Event(value = "events/cors-preflight.json", type = APIGatewayProxyRequestEvent.class)
        void preflight_fromAllowedOrigin_allowsMethodsAndHeaders(APIGatewayProxyRequestEvent event) {
            var response = new CorsPreflightHandler(f.cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(204);
            assertThat(ApiEvents.header(response, "Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
            assertThat(ApiEvents.header(response, "Access-Control-Allow-Methods")).contains("PATCH");
            assertThat(ApiEvents.header(response, "Access-Control-Allow-Headers")).contains("Authorization", "If-Match");
        }

        @ParameterizedTest
        @Event(value = "events/cors-preflight.json", type = APIGatewayProxyRequestEvent.class)
        void preflight_fromForeignOrigin_allowsNothing(APIGatewayProxyRequestEvent event) {
            event.getHeaders().put("Origin", "https://evil.example");
            var response = new CorsPreflightHandler(f.cors).handleRequest(event, null);
            assertThat(ApiEvents.header(response, "Access-Control-Allow-Origin")).isNull();
        }
    }

    @Nested
    class SignUp {
        private APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
            return new SignUpHandler(f.auth, f.cors).handleRequest(event, null);
        }

        @ParameterizedTest
        @Event(value = "events/sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void signUp_whenNew_returns202Pending(APIGatewayProxyRequestEvent event) {
            when(f.cognito.signUp(any(SignUpRequest.class))).thenReturn(SignUpResponse.builder().userSub(SUB).build());
            var response = call(event);
            assertThat(response.getStatusCode()).isEqualTo(202);
            assertThat(response.getBody()).isEqualTo("{\"status\":\"CONFIRMATION_PENDING\"}");
            var request = ArgumentCaptor.forClass(SignUpRequest.class);
            verify(f.cognito).signUp(request.capture());
            assertThat(request.getValue().username()).isEqualTo("new.user@example.com");
            assertThat(request.getValue().clientId()).isEqualTo("client-1");
        }

        @ParameterizedTest
        @Event(value = "events/sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void signUp_whenEmailTaken_answersTheSameAndSendsAFreshCode(APIGatewayProxyRequestEvent event) {
            when(f.cognito.signUp(any(SignUpRequest.class))).thenReturn(SignUpResponse.builder().userSub(SUB).build());
            var fresh = call(event);
            when(f.cognito.signUp(any(SignUpRequest.class))).thenThrow(UsernameExistsException.builder().message("User already exists").build());
            var taken = call(event);
            assertThat(taken.getStatusCode()).isEqualTo(fresh.getStatusCode());
            assertThat(taken.getBody()).isEqualTo(fresh.getBody());
            verify(f.cognito).resendConfirmationCode(any(ResendConfirmationCodeRequest.class));
        }

        @ParameterizedTest
        @Event(value = "events/sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void signUp_whenEmailTakenByConfirmedAccount_stillAnswers202(APIGatewayProxyRequestEvent event) {
            when(f.cognito.signUp(any(SignUpRequest.class))).thenThrow(UsernameExistsException.builder().build());
            when(f.cognito.resendConfirmationCode(any(ResendConfirmationCodeRequest.class)))
                    .thenThrow(InvalidParameterException.builder().message("User is already confirmed.").build());
            assertThat(call(event).getStatusCode()).isEqualTo(202);
        }

        @ParameterizedTest
        @Event(value = "events/sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void signUp_whenPasswordBreaksPolicy_returns400InvalidPassword(APIGatewayProxyRequestEvent event) {
            when(f.cognito.signUp(any(SignUpRequest.class))).thenThrow(InvalidPasswordException.builder().message("Password did not conform").build());
            assertProblem(call(event), 400, "InvalidPassword");
        }

        @ParameterizedTest
        @Event(value = "events/sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void signUp_whenEmailInvalid_returns400InvalidRequestWithoutCallingCognito(APIGatewayProxyRequestEvent event) {
            event.setBody("{\"email\":\"not-an-email\",\"password\":\"Correct-Horse-42!\"}");
            assertProblem(call(event), 400, "InvalidRequest");
            verify(f.cognito, never()).signUp(any(SignUpRequest.class));
        }

        @ParameterizedTest
        @Event(value = "events/sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void signUp_withAnUnknownField_returns400(APIGatewayProxyRequestEvent event) {
            event.setBody("{\"email\":\"a@example.com\",\"password\":\"Correct-Horse-42!\",\"roles\":[\"admin\"]}");
            assertProblem(call(event), 400, "InvalidRequest");
            verify(f.cognito, never()).signUp(any(SignUpRequest.class));
        }

        @ParameterizedTest
        @Event(value = "events/sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void signUp_whenCognitoThrottles_returns429WithRetryAfter(APIGatewayProxyRequestEvent event) {
            when(f.cognito.signUp(any(SignUpRequest.class))).thenThrow(TooManyRequestsException.builder().build());
            var response = call(event);
            assertProblem(response, 429, "TooManyRequests");
            assertThat(ApiEvents.header(response, "Retry-After")).isNotBlank();
        }

        @ParameterizedTest
        @Event(value = "events/sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void signUp_whenCognitoIsUnreachable_returns503(APIGatewayProxyRequestEvent event) {
            when(f.cognito.signUp(any(SignUpRequest.class))).thenThrow(SdkClientException.create("Connection refused"));
            assertProblem(call(event), 503, "ServiceUnavailable");
        }
    }

    @Nested
    class Confirm {
        private APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
            return new ConfirmSignUpHandler(f.auth, f.cors).handleRequest(event, null);
        }

        @ParameterizedTest
        @Event(value = "events/confirm-sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void b26_confirm_withTheRightCode_setsThePasswordGivenWithIt_endsEverything_andAnswersAsALogin(APIGatewayProxyRequestEvent event) {
            confirmable();

            var response = call(event);

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(ApiEvents.body(response).get("refreshToken").asText()).isEqualTo("refresh-token-value");
            var request = ArgumentCaptor.forClass(ConfirmSignUpRequest.class);
            var order = org.mockito.Mockito.inOrder(f.cognito, f.users, f.sessions);
            order.verify(f.cognito).confirmSignUp(request.capture());
            var set = ArgumentCaptor.forClass(AdminSetUserPasswordRequest.class);
            order.verify(f.cognito).adminSetUserPassword(set.capture());
            assertThat(set.getValue().password()).isEqualTo("Correct-Horse-42!");
            assertThat(set.getValue().permanent()).isTrue();
            assertThat(set.getValue().username()).isEqualTo(SUB);
            order.verify(f.users).endSessions(SUB);
            order.verify(f.cognito).adminUserGlobalSignOut(any(AdminUserGlobalSignOutRequest.class));
            order.verify(f.sessions).deleteAllForUser(SUB);
            var signIn = ArgumentCaptor.forClass(AdminInitiateAuthRequest.class);
            order.verify(f.cognito).adminInitiateAuth(signIn.capture());
            assertThat(signIn.getValue().authParameters()).containsEntry("PASSWORD", "Correct-Horse-42!");
            order.verify(f.sessions).put(any(Session.class));
            // Cognito runs the post-confirmation trigger inside this call (up to 5 s): the SDK must not
            // time out and retry it, or the retry would find the account confirmed already
            assertThat(request.getValue().overrideConfiguration().orElseThrow().apiCallAttemptTimeout())
                    .hasValueSatisfying(timeout -> assertThat(timeout).isGreaterThan(java.time.Duration.ofSeconds(5)));
        }

        private void confirmable() {
            when(f.cognito.adminGetUser(any(AdminGetUserRequest.class))).thenReturn(AdminGetUserResponse.builder().username(SUB)
                    .enabled(true).userStatus("CONFIRMED").build());
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class)))
                    .thenReturn(AdminInitiateAuthResponse.builder().authenticationResult(AuthFixture.tokens()).build());
            f.profileIs(UserStatus.ENABLED, OptionalLong.empty());
        }

        @ParameterizedTest
        @Event(value = "events/confirm-sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void b26_confirm_whenThePasswordBreaksThePolicy_leavesNoEarlierPasswordWorking(APIGatewayProxyRequestEvent event) {
            confirmable();
            when(f.cognito.adminSetUserPassword(any(AdminSetUserPasswordRequest.class)))
                    .thenThrow(InvalidPasswordException.builder().message("Password did not conform with policy").build())
                    .thenReturn(AdminSetUserPasswordResponse.builder().build());

            assertProblem(call(event), 400, "InvalidPassword");

            var set = ArgumentCaptor.forClass(AdminSetUserPasswordRequest.class);
            verify(f.cognito, org.mockito.Mockito.times(2)).adminSetUserPassword(set.capture());
            assertThat(set.getAllValues().get(1).password()).as("a random password nobody knows")
                    .hasSize(40).isNotEqualTo("Correct-Horse-42!");
            verify(f.users).endSessions(SUB);
            verify(f.cognito).adminUserGlobalSignOut(any(AdminUserGlobalSignOutRequest.class));
            verify(f.cognito, never()).adminInitiateAuth(any(AdminInitiateAuthRequest.class));
        }

        @ParameterizedTest
        @Event(value = "events/confirm-sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void b26_confirm_wrongExpiredUnknownOrConfirmed_allAnswerTheSame400_andSetNoPassword(APIGatewayProxyRequestEvent event) {
            java.util.List<String> bodies = new java.util.ArrayList<>();
            for (software.amazon.awssdk.awscore.exception.AwsServiceException refusal : java.util.List.<software.amazon.awssdk.awscore.exception.AwsServiceException>of(
                    CodeMismatchException.builder().build(), ExpiredCodeException.builder().build(), UserNotFoundException.builder().build(),
                    NotAuthorizedException.builder().message("User cannot be confirmed. Current status is CONFIRMED").build())) {
                when(f.cognito.confirmSignUp(any(ConfirmSignUpRequest.class))).thenThrow(refusal);
                var response = call(event);
                assertProblem(response, 400, "CodeMismatch");
                var body = (com.fasterxml.jackson.databind.node.ObjectNode) ApiEvents.body(response);
                body.remove("requestId");
                bodies.add(body.toString());
            }
            assertThat(bodies).as("the same body but for the request id").containsOnly(bodies.get(0));
            verify(f.cognito, never()).adminSetUserPassword(any(AdminSetUserPasswordRequest.class));
            verify(f.cognito, never()).adminInitiateAuth(any(AdminInitiateAuthRequest.class));
        }

        @ParameterizedTest
        @Event(value = "events/confirm-sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void confirm_withoutAPassword_is400InvalidRequest(APIGatewayProxyRequestEvent event) {
            event.setBody("{\"email\":\"new.user@example.com\",\"code\":\"123456\"}");
            assertProblem(call(event), 400, "InvalidRequest");
            verify(f.cognito, never()).confirmSignUp(any(ConfirmSignUpRequest.class));
        }

        /**
         * When the post-confirmation trigger fails (DynamoDB down: it throws so that Cognito retries),
         * Cognito answers ConfirmSignUp with one of its Lambda errors, HTTP 400. That is a dependency
         * failing, not a bad request and not our bug: 503, never 500. (cognito-local only logs trigger
         * failures, so the end-to-end fault tests cannot show this; the account heals at sign-in.)
         */
        @ParameterizedTest
        @Event(value = "events/confirm-sign-up.json", type = APIGatewayProxyRequestEvent.class)
        void d25_triggerFailureReportedByCognito_is503_neverA500(APIGatewayProxyRequestEvent event) {
            for (software.amazon.awssdk.awscore.exception.AwsServiceException failure : java.util.List.<software.amazon.awssdk.awscore.exception.AwsServiceException>of(
                    software.amazon.awssdk.services.cognitoidentityprovider.model.UserLambdaValidationException.builder()
                            .message("PostConfirmation failed with error The user store is unavailable.").statusCode(400).build(),
                    software.amazon.awssdk.services.cognitoidentityprovider.model.UnexpectedLambdaException.builder()
                            .message("Lambda timed out").statusCode(400).build(),
                    software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidLambdaResponseException.builder()
                            .message("Unrecognizable lambda output").statusCode(400).build())) {
                when(f.cognito.confirmSignUp(any(ConfirmSignUpRequest.class))).thenThrow(failure);
                var response = call(event);
                assertProblem(response, 503, "ServiceUnavailable");
                assertThat(response.getBody()).doesNotContain(failure.getMessage()).doesNotContain("Lambda");
            }
        }
    }

    @Nested
    class ResendCode {
        @ParameterizedTest
        @Event(value = "events/resend-code.json", type = APIGatewayProxyRequestEvent.class)
        void resendCode_answers202ForKnownAndUnknownAccountsAlike(APIGatewayProxyRequestEvent event) {
            var handler = new ResendCodeHandler(f.auth, f.cors);
            var known = handler.handleRequest(event, null);
            when(f.cognito.resendConfirmationCode(any(ResendConfirmationCodeRequest.class))).thenThrow(UserNotFoundException.builder().build());
            var unknown = handler.handleRequest(event, null);
            assertThat(known.getStatusCode()).isEqualTo(202);
            assertThat(unknown.getStatusCode()).isEqualTo(202);
            assertThat(unknown.getBody()).isEqualTo(known.getBody());
        }

        @ParameterizedTest
        @Event(value = "events/resend-code.json", type = APIGatewayProxyRequestEvent.class)
        void resendCode_whenCognitoLimitIsHit_returns429(APIGatewayProxyRequestEvent event) {
            when(f.cognito.resendConfirmationCode(any(ResendConfirmationCodeRequest.class))).thenThrow(LimitExceededException.builder().build());
            assertProblem(new ResendCodeHandler(f.auth, f.cors).handleRequest(event, null), 429, "TooManyRequests");
        }
    }

    @Nested
    class Login {
        private APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
            return new LoginHandler(f.auth, f.cors).handleRequest(event, null);
        }

        @ParameterizedTest
        @Event(value = "events/login.json", type = APIGatewayProxyRequestEvent.class)
        void login_withTheRightPassword_returnsTokensAndRegistersTheSession(APIGatewayProxyRequestEvent event) {
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class)))
                    .thenReturn(AdminInitiateAuthResponse.builder().authenticationResult(AuthFixture.tokens()).build());
            f.profileIs(UserStatus.ENABLED, OptionalLong.empty());

            var response = call(event);

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(ApiEvents.header(response, "Cache-Control")).isEqualTo("no-store");
            var body = ApiEvents.body(response);
            assertThat(body.get("accessToken").asText()).isNotBlank();
            assertThat(body.get("idToken").asText()).isEqualTo("id.token.value");
            assertThat(body.get("refreshToken").asText()).isEqualTo("refresh-token-value");
            assertThat(body.get("expiresIn").asInt()).isEqualTo(1800);
            assertThat(body.get("tokenType").asText()).isEqualTo("Bearer");
            var session = ArgumentCaptor.forClass(Session.class);
            verify(f.sessions).put(session.capture());
            assertThat(session.getValue().tokenHash()).isEqualTo(SessionRepository.hash("refresh-token-value")).doesNotContain("refresh-token-value");
            assertThat(session.getValue().userId()).isEqualTo(SUB);
            assertThat(session.getValue().sourceIp()).isEqualTo("203.0.113.7");
        }

        @ParameterizedTest
        @Event(value = "events/login.json", type = APIGatewayProxyRequestEvent.class)
        void login_whenMfaIsOn_returnsTheChallenge(APIGatewayProxyRequestEvent event) {
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenReturn(AdminInitiateAuthResponse.builder()
                    .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA).session("sess-1").build());
            var response = call(event);
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getBody()).isEqualTo("{\"challenge\":\"SOFTWARE_TOKEN_MFA\",\"session\":\"sess-1\"}");
            verify(f.sessions, never()).put(any());
        }

        @ParameterizedTest
        @Event(value = "events/login.json", type = APIGatewayProxyRequestEvent.class)
        void login_whenPasswordWrongOrUserUnknown_returnsTheSame401InvalidCredentials(APIGatewayProxyRequestEvent event) {
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenThrow(NotAuthorizedException.builder().message("Incorrect username or password.").build());
            var wrongPassword = call(event);
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenThrow(UserNotFoundException.builder().message("User does not exist.").build());
            var unknown = call(event);
            assertProblem(wrongPassword, 401, "InvalidCredentials");
            assertProblem(unknown, 401, "InvalidCredentials");
            assertThat(ApiEvents.body(unknown).get("detail")).isEqualTo(ApiEvents.body(wrongPassword).get("detail"));
        }

        @ParameterizedTest
        @Event(value = "events/login.json", type = APIGatewayProxyRequestEvent.class)
        void login_whenUnconfirmed_returns403UserNotConfirmed(APIGatewayProxyRequestEvent event) {
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenThrow(UserNotConfirmedException.builder().build());
            assertProblem(call(event), 403, "UserNotConfirmed");
        }

        @ParameterizedTest
        @Event(value = "events/login.json", type = APIGatewayProxyRequestEvent.class)
        void login_whenProfileDisabled_returns401AndRevokesTheIssuedTokens(APIGatewayProxyRequestEvent event) {
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class)))
                    .thenReturn(AdminInitiateAuthResponse.builder().authenticationResult(AuthFixture.tokens()).build());
            f.profileIs(UserStatus.DISABLED, OptionalLong.empty());
            assertProblem(call(event), 401, "InvalidCredentials");
            verify(f.cognito).revokeToken(any(RevokeTokenRequest.class));
            verify(f.sessions, never()).put(any());
        }

        @ParameterizedTest
        @Event(value = "events/login.json", type = APIGatewayProxyRequestEvent.class)
        void login_whenProfileMissing_healsIt(APIGatewayProxyRequestEvent event) {
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class)))
                    .thenReturn(AdminInitiateAuthResponse.builder().authenticationResult(AuthFixture.tokens()).build());
            when(f.users.findRecord(SUB)).thenReturn(Optional.empty());
            assertThat(call(event).getStatusCode()).isEqualTo(200);
            verify(f.users).createIfAbsent(any(), org.mockito.ArgumentMatchers.eq(true));
        }

        @ParameterizedTest
        @Event(value = "events/login-new-password.json", type = APIGatewayProxyRequestEvent.class)
        void newPassword_ofAnInvitedAccount_recordsItConfirmed(APIGatewayProxyRequestEvent event) {
            when(f.cognito.adminRespondToAuthChallenge(any(AdminRespondToAuthChallengeRequest.class)))
                    .thenReturn(AdminRespondToAuthChallengeResponse.builder().authenticationResult(AuthFixture.tokens()).build());
            f.profileIs(UserStatus.ENABLED, OptionalLong.empty());
            assertThat(new LoginNewPasswordHandler(f.auth, f.cors).handleRequest(event, null).getStatusCode()).isEqualTo(200);
            verify(f.users).markConfirmed(SUB);
        }

        @ParameterizedTest
        @Event(value = "events/login-new-password.json", type = APIGatewayProxyRequestEvent.class)
        void newPassword_refused_recordsNothing(APIGatewayProxyRequestEvent event) {
            when(f.cognito.adminRespondToAuthChallenge(any(AdminRespondToAuthChallengeRequest.class)))
                    .thenThrow(software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException.builder()
                            .message("Invalid session for the user.").build());
            assertThat(new LoginNewPasswordHandler(f.auth, f.cors).handleRequest(event, null).getStatusCode()).isBetween(400, 499);
            verify(f.users, never()).markConfirmed(any());
        }

        @ParameterizedTest
        @Event(value = "events/login.json", type = APIGatewayProxyRequestEvent.class)
        void login_whenCognitoAnswersWithoutARefreshToken_returns503AndRegistersNoSession(APIGatewayProxyRequestEvent event) {
            // Found by EveryRouteFuzzTest: a result missing a token was a NullPointerException (500).
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenReturn(AdminInitiateAuthResponse.builder()
                    .authenticationResult(AuthFixture.tokens().toBuilder().refreshToken(null).build()).build());
            f.profileIs(UserStatus.ENABLED, OptionalLong.empty());
            assertProblem(call(event), 503, "ServiceUnavailable");
            verify(f.sessions, never()).put(any());
        }

        @ParameterizedTest
        @Event(value = "events/login.json", type = APIGatewayProxyRequestEvent.class)
        void login_withAWrongType_returns400(APIGatewayProxyRequestEvent event) {
            event.setBody("{\"email\":\"a@example.com\",\"password\":12345678}");
            assertProblem(call(event), 400, "InvalidRequest");
        }
    }

    @Nested
    class LoginMfa {
        private APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
            return new LoginMfaHandler(f.auth, f.cors).handleRequest(event, null);
        }

        @ParameterizedTest
        @Event(value = "events/login-mfa.json", type = APIGatewayProxyRequestEvent.class)
        void loginMfa_withTheRightCode_returnsTokens(APIGatewayProxyRequestEvent event) {
            when(f.cognito.adminRespondToAuthChallenge(any(AdminRespondToAuthChallengeRequest.class)))
                    .thenReturn(AdminRespondToAuthChallengeResponse.builder().authenticationResult(AuthFixture.tokens()).build());
            f.profileIs(UserStatus.ENABLED, OptionalLong.empty());
            var response = call(event);
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(ApiEvents.body(response).get("refreshToken").asText()).isEqualTo("refresh-token-value");
        }

        @ParameterizedTest
        @Event(value = "events/login-mfa.json", type = APIGatewayProxyRequestEvent.class)
        void loginMfa_withAWrongCode_returns401CodeMismatch(APIGatewayProxyRequestEvent event) {
            when(f.cognito.adminRespondToAuthChallenge(any(AdminRespondToAuthChallengeRequest.class))).thenThrow(CodeMismatchException.builder().build());
            assertProblem(call(event), 401, "CodeMismatch");
        }

        @ParameterizedTest
        @Event(value = "events/login-mfa.json", type = APIGatewayProxyRequestEvent.class)
        void loginMfa_withAnExpiredSession_returns401InvalidCredentials(APIGatewayProxyRequestEvent event) {
            when(f.cognito.adminRespondToAuthChallenge(any(AdminRespondToAuthChallengeRequest.class)))
                    .thenThrow(NotAuthorizedException.builder().message("Invalid session").build());
            assertProblem(call(event), 401, "InvalidCredentials");
        }
    }

    @Nested
    class Refresh {
        private APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
            return new RefreshHandler(f.auth, f.cors).handleRequest(event, null);
        }

        private void sessionExists(java.time.Instant createdAt) {
            when(f.sessions.find(any())).thenReturn(Optional.of(new Session("h", "id", SUB, createdAt, createdAt, "ip", "ua")));
        }

        @ParameterizedTest
        @Event(value = "events/refresh.json", type = APIGatewayProxyRequestEvent.class)
        void refresh_forALiveSession_returnsNewTokensWithoutARefreshToken(APIGatewayProxyRequestEvent event) {
            sessionExists(AuthFixture.NOW.minusSeconds(60));
            f.profileIs(UserStatus.ENABLED, OptionalLong.empty());
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class)))
                    .thenReturn(AdminInitiateAuthResponse.builder().authenticationResult(AuthFixture.tokens().toBuilder().refreshToken(null).build()).build());
            var response = call(event);
            assertThat(response.getStatusCode()).isEqualTo(200);
            var body = ApiEvents.body(response);
            assertThat(body.has("refreshToken")).isFalse();
            assertThat(body.get("tokenType").asText()).isEqualTo("Bearer");
            verify(f.sessions).touch(any(), any());
        }

        @ParameterizedTest
        @Event(value = "events/refresh.json", type = APIGatewayProxyRequestEvent.class)
        void refresh_inTheSecondOfARoleChange_waitsAndReturnsTokensTheAuthorizerAccepts(APIGatewayProxyRequestEvent event) {
            sessionExists(AuthFixture.NOW.minusSeconds(60));
            long revokedAt = AuthFixture.NOW.toEpochMilli() + 300; // same second as the token Cognito issues first
            when(f.users.findRecord(SUB)).thenReturn(Optional.of(new dev.userapi.core.user.UserRecord(SUB, UserStatus.ENABLED,
                    java.util.List.of("user"), OptionalLong.of(revokedAt), OptionalLong.empty())));
            String later = AuthFixture.accessToken(SUB, AuthFixture.NOW.getEpochSecond() + 1);
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class)))
                    .thenReturn(AdminInitiateAuthResponse.builder().authenticationResult(AuthFixture.tokens().toBuilder().refreshToken(null).build()).build())
                    .thenReturn(AdminInitiateAuthResponse.builder().authenticationResult(AuthFixture.tokens().toBuilder()
                            .accessToken(later).refreshToken(null).build()).build());

            var response = call(event);

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(ApiEvents.body(response).get("accessToken").asText()).isEqualTo(later);
            verify(f.cognito, org.mockito.Mockito.times(2)).adminInitiateAuth(any(AdminInitiateAuthRequest.class));
        }

        @ParameterizedTest
        @Event(value = "events/refresh.json", type = APIGatewayProxyRequestEvent.class)
        void refresh_withoutASession_returns401WithoutAskingCognito(APIGatewayProxyRequestEvent event) {
            when(f.sessions.find(any())).thenReturn(Optional.empty());
            assertProblem(call(event), 401, "Unauthorized");
            verify(f.cognito, never()).adminInitiateAuth(any(AdminInitiateAuthRequest.class));
        }

        @ParameterizedTest
        @Event(value = "events/refresh.json", type = APIGatewayProxyRequestEvent.class)
        void refresh_afterSignOutEverywhere_returns401AndEndsTheSession(APIGatewayProxyRequestEvent event) {
            sessionExists(AuthFixture.NOW.minusSeconds(60));
            f.profileIs(UserStatus.ENABLED, OptionalLong.of(AuthFixture.NOW.minusSeconds(10).toEpochMilli()));
            assertProblem(call(event), 401, "Unauthorized");
            verify(f.sessions).delete(any());
            verify(f.cognito, never()).adminInitiateAuth(any(AdminInitiateAuthRequest.class));
        }

        @ParameterizedTest
        @Event(value = "events/refresh.json", type = APIGatewayProxyRequestEvent.class)
        void refresh_forADisabledUser_returns401(APIGatewayProxyRequestEvent event) {
            sessionExists(AuthFixture.NOW.minusSeconds(60));
            f.profileIs(UserStatus.DISABLED, OptionalLong.empty());
            assertProblem(call(event), 401, "Unauthorized");
        }

        @ParameterizedTest
        @Event(value = "events/refresh.json", type = APIGatewayProxyRequestEvent.class)
        void refresh_whenCognitoRefusesTheToken_returns401(APIGatewayProxyRequestEvent event) {
            sessionExists(AuthFixture.NOW.minusSeconds(60));
            f.profileIs(UserStatus.ENABLED, OptionalLong.empty());
            when(f.cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenThrow(NotAuthorizedException.builder().message("Refresh Token has been revoked").build());
            assertProblem(call(event), 401, "Unauthorized");
        }
    }

    @Nested
    class Logout {
        @ParameterizedTest
        @Event(value = "events/logout.json", type = APIGatewayProxyRequestEvent.class)
        void logout_revokesTheTokenAndEndsTheSession(APIGatewayProxyRequestEvent event) {
            var response = new LogoutHandler(f.auth, f.cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(204);
            assertThat(response.getBody()).isEmpty();
            verify(f.cognito).revokeToken(any(RevokeTokenRequest.class));
            verify(f.sessions).delete(any());
        }

        @ParameterizedTest
        @Event(value = "events/logout.json", type = APIGatewayProxyRequestEvent.class)
        void logout_withAnUnknownToken_isStill204(APIGatewayProxyRequestEvent event) {
            when(f.cognito.revokeToken(any(RevokeTokenRequest.class))).thenThrow(UnsupportedTokenTypeException.builder().build());
            assertThat(new LogoutHandler(f.auth, f.cors).handleRequest(event, null).getStatusCode()).isEqualTo(204);
        }

        /** RevokeToken answers UnauthorizedException for a token it will not revoke (another client's): still 204, not 500. */
        @ParameterizedTest
        @Event(value = "events/logout.json", type = APIGatewayProxyRequestEvent.class)
        void logout_whenCognitoSaysTheTokenIsNotAuthorized_isStill204(APIGatewayProxyRequestEvent event) {
            when(f.cognito.revokeToken(any(RevokeTokenRequest.class))).thenThrow(
                    software.amazon.awssdk.services.cognitoidentityprovider.model.UnauthorizedException.builder().statusCode(400)
                            .message("Client is not authorized to revoke this token").build());
            assertThat(new LogoutHandler(f.auth, f.cors).handleRequest(event, null).getStatusCode()).isEqualTo(204);
        }

        @ParameterizedTest
        @Event(value = "events/logout.json", type = APIGatewayProxyRequestEvent.class)
        void logout_whenCognitoIsDown_returns503(APIGatewayProxyRequestEvent event) {
            when(f.cognito.revokeToken(any(RevokeTokenRequest.class))).thenThrow(SdkClientException.create("timeout"));
            assertProblem(new LogoutHandler(f.auth, f.cors).handleRequest(event, null), 503, "ServiceUnavailable");
        }
    }

    @Nested
    class ForgotAndReset {
        @ParameterizedTest
        @Event(value = "events/forgot-password.json", type = APIGatewayProxyRequestEvent.class)
        void forgotPassword_answers202ForKnownAndUnknownAccountsAlike(APIGatewayProxyRequestEvent event) {
            var handler = new ForgotPasswordHandler(f.auth, f.cors);
            var known = handler.handleRequest(event, null);
            when(f.cognito.forgotPassword(any(ForgotPasswordRequest.class))).thenThrow(UserNotFoundException.builder().build());
            var unknown = handler.handleRequest(event, null);
            assertThat(known.getStatusCode()).isEqualTo(202);
            assertThat(unknown.getStatusCode()).isEqualTo(202);
            assertThat(unknown.getBody()).isEqualTo(known.getBody());
        }

        @ParameterizedTest
        @Event(value = "events/reset-password.json", type = APIGatewayProxyRequestEvent.class)
        void b27_resetPassword_withTheRightCode_returns200_andEndsEverySession(APIGatewayProxyRequestEvent event) {
            resettable(true);
            var response = new ResetPasswordHandler(f.auth, f.cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(200);
            var order = org.mockito.Mockito.inOrder(f.cognito, f.users, f.sessions);
            order.verify(f.cognito).confirmForgotPassword(any(ConfirmForgotPasswordRequest.class));
            order.verify(f.users).endSessionsAfterPasswordChange(SUB); // records passwordChangedAt: the password.changed event
            order.verify(f.cognito).adminUserGlobalSignOut(any(AdminUserGlobalSignOutRequest.class));
            order.verify(f.sessions).deleteAllForUser(SUB);
        }

        private void resettable(boolean enabledInCognito) {
            when(f.cognito.adminGetUser(any(AdminGetUserRequest.class))).thenReturn(AdminGetUserResponse.builder().username(SUB)
                    .enabled(enabledInCognito).userStatus("CONFIRMED").build());
        }

        @ParameterizedTest
        @Event(value = "events/reset-password.json", type = APIGatewayProxyRequestEvent.class)
        void b27_aDisabledAccount_cannotCompleteAReset_itLooksLikeAWrongCode_andNothingChanges(APIGatewayProxyRequestEvent event) {
            var handler = new ResetPasswordHandler(f.auth, f.cors);
            when(f.cognito.confirmForgotPassword(any(ConfirmForgotPasswordRequest.class))).thenThrow(CodeMismatchException.builder().build());
            resettable(true);
            var wrongCode = handler.handleRequest(event, null);
            org.mockito.Mockito.reset(f.cognito);

            resettable(true);
            f.profileIs(UserStatus.DISABLED, OptionalLong.empty()); // disabled in DynamoDB, Cognito not (yet)
            var disabled = handler.handleRequest(event, null);
            resettable(false);
            f.profileIs(UserStatus.ENABLED, OptionalLong.empty());
            var disabledInCognito = handler.handleRequest(event, null);

            for (var response : java.util.List.of(disabled, disabledInCognito)) {
                assertProblem(response, 400, "CodeMismatch");
                assertThat(ApiEvents.body(response).get("detail")).isEqualTo(ApiEvents.body(wrongCode).get("detail"));
            }
            verify(f.cognito, never()).confirmForgotPassword(any(ConfirmForgotPasswordRequest.class));
            verify(f.users, never()).endSessions(any());
        }

        @ParameterizedTest
        @Event(value = "events/reset-password.json", type = APIGatewayProxyRequestEvent.class)
        void resetPassword_errors_mapToTheContract(APIGatewayProxyRequestEvent event) {
            var handler = new ResetPasswordHandler(f.auth, f.cors);
            resettable(true);
            when(f.cognito.confirmForgotPassword(any(ConfirmForgotPasswordRequest.class))).thenThrow(CodeMismatchException.builder().build());
            assertProblem(handler.handleRequest(event, null), 400, "CodeMismatch");
            when(f.cognito.confirmForgotPassword(any(ConfirmForgotPasswordRequest.class))).thenThrow(InvalidPasswordException.builder().build());
            assertProblem(handler.handleRequest(event, null), 400, "InvalidPassword");
            when(f.cognito.confirmForgotPassword(any(ConfirmForgotPasswordRequest.class))).thenThrow(ExpiredCodeException.builder().build());
            assertProblem(handler.handleRequest(event, null), 400, "ExpiredCode");
            when(f.cognito.confirmForgotPassword(any(ConfirmForgotPasswordRequest.class))).thenThrow(UserNotFoundException.builder().build());
            assertProblem(handler.handleRequest(event, null), 400, "CodeMismatch");
            when(f.cognito.adminGetUser(any(AdminGetUserRequest.class))).thenThrow(UserNotFoundException.builder().build());
            assertProblem(handler.handleRequest(event, null), 400, "CodeMismatch");
            verify(f.users, never()).endSessions(any());
        }
    }
}
