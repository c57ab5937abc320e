package dev.userapi.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.userapi.core.attempts.AttemptLimiter;
import dev.userapi.core.attempts.AttemptPolicy;
import dev.userapi.core.attempts.MemoryAttemptStore;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.Cors;
import dev.userapi.core.problem.PreconditionFailedException;
import dev.userapi.core.testing.ApiEvents;
import dev.userapi.core.testing.SdkMocks;
import dev.userapi.core.user.ProfileChanges;
import dev.userapi.core.user.Session;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import dev.userapi.identity.AccountService;
import dev.userapi.identity.CognitoGateway;
import dev.userapi.identity.Provisioning;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminUserGlobalSignOutRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AssociateSoftwareTokenRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AssociateSoftwareTokenResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChangePasswordRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DeleteUserRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.EnableSoftwareTokenMfaException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GetUserRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GlobalSignOutRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.LimitExceededException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SetUserMfaPreferenceRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.VerifySoftwareTokenRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.VerifySoftwareTokenResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.VerifySoftwareTokenResponseType;

/** The /me routes: happy paths and the error responses of docs/openapi.yaml, with Cognito mocked at the SDK boundary. */
class AccountRoutesTest {
    static final String SUB = "3b1f8c9e-2d4a-4f7b-9c1e-5a6b7c8d9e0f";
    static final Instant T = Instant.parse("2026-11-22T09:00:00Z");

    final CognitoIdentityProviderClient cognito = SdkMocks.client(CognitoIdentityProviderClient.class);
    final UserRepository users = mock(UserRepository.class);
    final SessionRepository sessions = mock(SessionRepository.class);
    final AppConfig config = AppConfig.from(Map.of("AWS_REGION", "us-east-1", "TABLE_NAME", "users", "ROLES", "user,admin"));
    final CognitoGateway gateway = new CognitoGateway(cognito, "pool", "client");
    /** The events' request time; their authorizer context says the caller signed in a minute before. */
    static final Instant NOW = Instant.parse("2026-11-22T09:15:00Z");
    final Clock clock = Clock.fixed(NOW, java.time.ZoneOffset.UTC);
    final AccountService account = new AccountService(gateway, users, sessions, new Provisioning(users, config, clock),
            "User API", java.time.Duration.ofSeconds(300), clock,
            new AttemptLimiter(new MemoryAttemptStore(), AttemptPolicy.STANDARD, clock));
    final Cors cors = new Cors(List.of("http://localhost:3000"));

    static UserProfile profile(long version, String... roles) {
        return new UserProfile(SUB, "new.user@example.com", "New User", null, null, null, List.of(roles),
                UserStatus.ENABLED, false, T, T, version);
    }

    /** The event as the authorizer would pass it for a token whose sign-in was {@code secondsAgo} before the request. */
    static APIGatewayProxyRequestEvent signedIn(APIGatewayProxyRequestEvent event, long secondsAgo) {
        event.getRequestContext().getAuthorizer().put("authTime", Long.toString(NOW.getEpochSecond() - secondsAgo));
        return event;
    }

    static String accessToken(long iat) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + SUB + "\",\"iat\":" + iat + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + ".c2ln";
    }

    static void assertProblem(APIGatewayProxyResponseEvent response, int status, String code) {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(ApiEvents.header(response, "Content-Type")).isEqualTo("application/problem+json");
        assertThat(ApiEvents.body(response).get("code").asText()).isEqualTo(code);
    }

    @Nested
    class GetMe {
        @ParameterizedTest
        @Event(value = "events/get-me.json", type = APIGatewayProxyRequestEvent.class)
        void getMe_returnsTheProfileWithItsETag(APIGatewayProxyRequestEvent event) {
            when(users.find(SUB)).thenReturn(Optional.of(profile(3, "user")));
            var response = new GetMeHandler(account, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(ApiEvents.header(response, "ETag")).isEqualTo("\"3\"");
            var body = ApiEvents.body(response);
            assertThat(body.get("id").asText()).isEqualTo(SUB);
            assertThat(body.get("email").asText()).isEqualTo("new.user@example.com");
            assertThat(body.get("roles").toString()).isEqualTo("[\"user\"]");
            assertThat(body.get("status").asText()).isEqualTo("ENABLED");
            assertThat(body.get("createdAt").asText()).isEqualTo("2026-11-22T09:00:00Z");
            assertThat(body.has("locale")).isTrue();
            assertThat(body.get("locale").isNull()).isTrue();
        }

        @ParameterizedTest
        @Event(value = "events/get-me.json", type = APIGatewayProxyRequestEvent.class)
        void getMe_healsAMissingProfileFromCognito(APIGatewayProxyRequestEvent event) {
            when(users.find(SUB)).thenReturn(Optional.empty(), Optional.of(profile(1, "user")));
            when(users.createIfAbsent(any(), org.mockito.ArgumentMatchers.anyBoolean())).thenReturn(true);
            when(cognito.getUser(any(GetUserRequest.class))).thenReturn(GetUserResponse.builder().username(SUB)
                    .userAttributes(AttributeType.builder().name("sub").value(SUB).build(),
                            AttributeType.builder().name("email").value("New.User@Example.com").build()).build());
            var response = new GetMeHandler(account, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(200);
            var created = ArgumentCaptor.forClass(UserProfile.class);
            verify(users).createIfAbsent(created.capture(), org.mockito.ArgumentMatchers.eq(true)); // healed at sign-in: confirmed
            assertThat(created.getValue().email()).isEqualTo("new.user@example.com");
            assertThat(created.getValue().roles()).containsExactly("user");
        }

        @ParameterizedTest
        @Event(value = "events/get-me.json", type = APIGatewayProxyRequestEvent.class)
        void getMe_usesTheTokensSubNeverAQueryField(APIGatewayProxyRequestEvent event) {
            event.setQueryStringParameters(Map.of("sub", "someone-else", "id", "someone-else"));
            when(users.find(SUB)).thenReturn(Optional.of(profile(3, "user")));
            new GetMeHandler(account, cors).handleRequest(event, null);
            verify(users).find(SUB);
            verify(users, never()).find("someone-else");
        }
    }

    @Nested
    class UpdateMe {
        @ParameterizedTest
        @Event(value = "events/update-me.json", type = APIGatewayProxyRequestEvent.class)
        void updateMe_writesTheFieldsWithTheIfMatchVersion(APIGatewayProxyRequestEvent event) {
            when(users.update(eq(SUB), any(), any())).thenReturn(profile(4, "user"));
            var response = new UpdateMeHandler(account, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(ApiEvents.header(response, "ETag")).isEqualTo("\"4\"");
            var changes = ArgumentCaptor.forClass(ProfileChanges.class);
            verify(users).update(eq(SUB), changes.capture(), eq(OptionalLong.of(3)));
            assertThat(changes.getValue().fields()).containsEntry("name", Optional.of("Ada Lovelace"))
                    .containsEntry("locale", Optional.of("en-GB")).containsEntry("phoneNumber", Optional.of("+447700900123"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"roles", "email", "sub", "id", "status", "version", "email_verified", "mfaEnabled", "createdAt"})
        void updateMe_withAProtectedField_is400AndWritesNothing(String field) throws Exception {
            var event = ApiEvents.signedIn(ApiEvents.request("PATCH", "/me", "{\"name\":\"x\",\"" + field + "\":\"admin\"}"), SUB, "user");
            var response = new UpdateMeHandler(account, cors).handleRequest(event, null);
            assertProblem(response, 400, "InvalidRequest");
            verify(users, never()).update(anyString(), any(), any());
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"locale\":\"not a locale\"}", "{\"picture\":\"http://insecure.example/p.png\"}",
                "{\"picture\":\"javascript:alert(1)\"}", "{\"phoneNumber\":\"0123\"}", "{\"name\":42}", "{\"name\":\"\"}"})
        void updateMe_withInvalidValues_is400(String body) {
            var event = ApiEvents.signedIn(ApiEvents.request("PATCH", "/me", body), SUB, "user");
            assertProblem(new UpdateMeHandler(account, cors).handleRequest(event, null), 400, "InvalidRequest");
        }

        @ParameterizedTest
        @Event(value = "events/update-me.json", type = APIGatewayProxyRequestEvent.class)
        void updateMe_withAStaleIfMatch_is412(APIGatewayProxyRequestEvent event) {
            when(users.update(eq(SUB), any(), any())).thenThrow(new PreconditionFailedException());
            assertProblem(new UpdateMeHandler(account, cors).handleRequest(event, null), 412, "PreconditionFailed");
        }

        @ParameterizedTest
        @ValueSource(strings = {"3", "W/\"3\"", "\"three\"", "\"\""})
        void updateMe_withAMalformedIfMatch_is400(String ifMatch) {
            var event = ApiEvents.signedIn(ApiEvents.request("PATCH", "/me", "{\"name\":\"x\"}"), SUB, "user");
            event.getHeaders().put("If-Match", ifMatch);
            assertProblem(new UpdateMeHandler(account, cors).handleRequest(event, null), 400, "InvalidRequest");
        }

        @ParameterizedTest
        @Event(value = "events/update-me.json", type = APIGatewayProxyRequestEvent.class)
        void updateMe_nullClearsAField(APIGatewayProxyRequestEvent event) {
            event.setBody("{\"phoneNumber\":null}");
            event.getHeaders().remove("If-Match");
            when(users.update(eq(SUB), any(), any())).thenReturn(profile(4, "user"));
            new UpdateMeHandler(account, cors).handleRequest(event, null);
            var changes = ArgumentCaptor.forClass(ProfileChanges.class);
            verify(users).update(eq(SUB), changes.capture(), eq(OptionalLong.empty()));
            assertThat(changes.getValue().fields()).containsEntry("phoneNumber", Optional.empty());
        }
    }

    @Nested
    class DeleteMe {
        @ParameterizedTest
        @Event(value = "events/delete-me.json", type = APIGatewayProxyRequestEvent.class)
        void deleteMe_removesAccountProfileAndSessions(APIGatewayProxyRequestEvent event) {
            when(users.find(SUB)).thenReturn(Optional.of(profile(2, "user")));
            var response = new DeleteMeHandler(account, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(204);
            verify(cognito).deleteUser(any(DeleteUserRequest.class));
            verify(users).delete(SUB);
            verify(sessions).deleteAllForUser(SUB);
        }

        @ParameterizedTest
        @Event(value = "events/delete-me.json", type = APIGatewayProxyRequestEvent.class)
        void deleteMe_byTheLastAdmin_is409AndDeletesNothing(APIGatewayProxyRequestEvent event) {
            when(users.find(SUB)).thenReturn(Optional.of(profile(2, "admin", "user")));
            when(users.adminCount()).thenReturn(1L);
            assertProblem(new DeleteMeHandler(account, cors).handleRequest(event, null), 409, "Conflict");
            verify(cognito, never()).deleteUser(any(DeleteUserRequest.class));
            verify(users, never()).delete(anyString());
        }
    }

    @Nested
    class Password {
        @ParameterizedTest
        @Event(value = "events/change-password.json", type = APIGatewayProxyRequestEvent.class)
        void b27_changePassword_usesTheCallersOwnToken_endsEverySession_andAnswersFreshTokens(APIGatewayProxyRequestEvent event) {
            when(users.find(SUB)).thenReturn(Optional.of(profile(2, "user")));
            when(users.findRecord(SUB)).thenReturn(Optional.of(new UserRecord(SUB, UserStatus.ENABLED, List.of("user"), OptionalLong.empty())));
            when(cognito.adminInitiateAuth(any(AdminInitiateAuthRequest.class))).thenReturn(AdminInitiateAuthResponse.builder()
                    .authenticationResult(AuthenticationResultType.builder().accessToken(accessToken(NOW.getEpochSecond()))
                            .idToken("id.token.value").refreshToken("fresh-refresh-token").expiresIn(3600).build()).build());

            var response = new ChangePasswordHandler(account, cors).handleRequest(event, null);

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(ApiEvents.body(response).get("refreshToken").asText()).isEqualTo("fresh-refresh-token");
            var request = ArgumentCaptor.forClass(ChangePasswordRequest.class);
            verify(cognito).changePassword(request.capture());
            assertThat(request.getValue().accessToken()).startsWith("eyJ");
            var order = org.mockito.Mockito.inOrder(cognito, users, sessions);
            order.verify(users).endSessionsAfterPasswordChange(SUB); // records passwordChangedAt: the password.changed event
            order.verify(cognito).adminUserGlobalSignOut(any(AdminUserGlobalSignOutRequest.class));
            order.verify(sessions).deleteAllForUser(SUB);
            var signIn = ArgumentCaptor.forClass(AdminInitiateAuthRequest.class);
            order.verify(cognito).adminInitiateAuth(signIn.capture());
            assertThat(signIn.getValue().authParameters()).containsEntry("PASSWORD", "Another-Horse-43!");
            order.verify(sessions).put(any(Session.class));
        }

        @ParameterizedTest
        @Event(value = "events/change-password.json", type = APIGatewayProxyRequestEvent.class)
        void changePassword_errorRows(APIGatewayProxyRequestEvent event) {
            when(users.find(SUB)).thenReturn(Optional.of(profile(2, "user")));
            var handler = new ChangePasswordHandler(account, cors);
            when(cognito.changePassword(any(ChangePasswordRequest.class))).thenThrow(NotAuthorizedException.builder().message("Incorrect username or password.").build());
            assertProblem(handler.handleRequest(event, null), 403, "InvalidCredentials");
            when(cognito.changePassword(any(ChangePasswordRequest.class))).thenThrow(InvalidPasswordException.builder().build());
            assertProblem(handler.handleRequest(event, null), 400, "InvalidPassword");
            when(cognito.changePassword(any(ChangePasswordRequest.class))).thenThrow(LimitExceededException.builder().build());
            assertProblem(handler.handleRequest(event, null), 429, "TooManyRequests");
            verify(users, never()).endSessions(anyString());
            verify(users, never()).endSessionsAfterPasswordChange(anyString());
            verify(sessions, never()).deleteAllForUser(anyString());
        }
    }

    @Nested
    class RecentSignIn {
        @ParameterizedTest
        @Event(value = "events/delete-me.json", type = APIGatewayProxyRequestEvent.class)
        void b32_deleteMe_withAnOldSignIn_is403ReauthenticationRequired_andDeletesNothing(APIGatewayProxyRequestEvent event) {
            when(users.find(SUB)).thenReturn(Optional.of(profile(2, "user")));
            assertProblem(new DeleteMeHandler(account, cors).handleRequest(signedIn(event, 301), null), 403, "ReauthenticationRequired");
            verify(cognito, never()).deleteUser(any(DeleteUserRequest.class));
            verify(users, never()).delete(anyString());
        }

        @ParameterizedTest
        @Event(value = "events/delete-me.json", type = APIGatewayProxyRequestEvent.class)
        void b32_deleteMe_withoutAKnownSignInTime_is403(APIGatewayProxyRequestEvent event) {
            event.getRequestContext().getAuthorizer().remove("authTime");
            assertProblem(new DeleteMeHandler(account, cors).handleRequest(event, null), 403, "ReauthenticationRequired");
            verify(cognito, never()).deleteUser(any(DeleteUserRequest.class));
        }

        @ParameterizedTest
        @Event(value = "events/disable-mfa.json", type = APIGatewayProxyRequestEvent.class)
        void b32_disableMfa_withAnOldSignIn_is403_andWithinTheWindow_is204(APIGatewayProxyRequestEvent event) {
            assertProblem(new DisableMfaHandler(account, cors).handleRequest(signedIn(event, 301), null), 403, "ReauthenticationRequired");
            verify(cognito, never()).setUserMFAPreference(any(SetUserMfaPreferenceRequest.class));
            assertThat(new DisableMfaHandler(account, cors).handleRequest(signedIn(event, 300), null).getStatusCode()).isEqualTo(204);
        }

        @ParameterizedTest
        @Event(value = "events/start-totp.json", type = APIGatewayProxyRequestEvent.class)
        void b32_replacingTotpThatIsOn_needsARecentSignIn_startingItWhenOffDoesNot(APIGatewayProxyRequestEvent event) {
            when(cognito.associateSoftwareToken(any(AssociateSoftwareTokenRequest.class)))
                    .thenReturn(AssociateSoftwareTokenResponse.builder().secretCode("JBSWY3DPEHPK3PXP").build());
            UserProfile withTotp = new UserProfile(SUB, "new.user@example.com", null, null, null, null, List.of("user"),
                    UserStatus.ENABLED, true, T, T, 3);
            when(users.find(SUB)).thenReturn(Optional.of(withTotp));
            assertProblem(new StartTotpHandler(account, cors).handleRequest(signedIn(event, 3600), null), 403, "ReauthenticationRequired");
            verify(cognito, never()).associateSoftwareToken(any(AssociateSoftwareTokenRequest.class));

            when(users.find(SUB)).thenReturn(Optional.of(profile(1, "user")));
            assertThat(new StartTotpHandler(account, cors).handleRequest(signedIn(event, 3600), null).getStatusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Mfa {
        @ParameterizedTest
        @Event(value = "events/start-totp.json", type = APIGatewayProxyRequestEvent.class)
        void startTotp_returnsSecretAndOtpauthUri(APIGatewayProxyRequestEvent event) {
            when(cognito.associateSoftwareToken(any(AssociateSoftwareTokenRequest.class)))
                    .thenReturn(AssociateSoftwareTokenResponse.builder().secretCode("JBSWY3DPEHPK3PXP").build());
            when(users.find(SUB)).thenReturn(Optional.of(profile(1, "user")));
            var response = new StartTotpHandler(account, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(200);
            var body = ApiEvents.body(response);
            assertThat(body.get("secretCode").asText()).isEqualTo("JBSWY3DPEHPK3PXP");
            assertThat(body.get("otpauthUri").asText())
                    .isEqualTo("otpauth://totp/User%20API:new.user%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=User%20API&algorithm=SHA1&digits=6&period=30");
        }

        /** Found by EveryRouteFuzzTest (input cognito-unauthorized-on-start-totp): Cognito's own 4xx errors are never a 500. */
        @ParameterizedTest
        @Event(value = "events/start-totp.json", type = APIGatewayProxyRequestEvent.class)
        void startTotp_whenCognitoSaysUnauthorizedOrConcurrentModification_isA4xx_neverA500(APIGatewayProxyRequestEvent event) {
            when(cognito.associateSoftwareToken(any(AssociateSoftwareTokenRequest.class))).thenThrow(
                    software.amazon.awssdk.services.cognitoidentityprovider.model.UnauthorizedException.builder().statusCode(400)
                            .message("not authorized").build());
            assertProblem(new StartTotpHandler(account, cors).handleRequest(event, null), 401, "Unauthorized");

            when(cognito.associateSoftwareToken(any(AssociateSoftwareTokenRequest.class))).thenThrow(
                    software.amazon.awssdk.services.cognitoidentityprovider.model.ConcurrentModificationException.builder().statusCode(400)
                            .message("concurrent").build());
            assertProblem(new StartTotpHandler(account, cors).handleRequest(event, null), 409, "Conflict");
        }

        @ParameterizedTest
        @Event(value = "events/verify-totp.json", type = APIGatewayProxyRequestEvent.class)
        void verifyTotp_makesTotpRequired(APIGatewayProxyRequestEvent event) {
            when(cognito.verifySoftwareToken(any(VerifySoftwareTokenRequest.class)))
                    .thenReturn(VerifySoftwareTokenResponse.builder().status(VerifySoftwareTokenResponseType.SUCCESS).build());
            var response = new VerifyTotpHandler(account, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(204);
            var preference = ArgumentCaptor.forClass(SetUserMfaPreferenceRequest.class);
            verify(cognito).setUserMFAPreference(preference.capture());
            assertThat(preference.getValue().softwareTokenMfaSettings().enabled()).isTrue();
            verify(users).setMfaEnabled(SUB, true);
        }

        @ParameterizedTest
        @Event(value = "events/verify-totp.json", type = APIGatewayProxyRequestEvent.class)
        void verifyTotp_withAWrongCode_is400CodeMismatch(APIGatewayProxyRequestEvent event) {
            when(cognito.verifySoftwareToken(any(VerifySoftwareTokenRequest.class))).thenThrow(EnableSoftwareTokenMfaException.builder().build());
            assertProblem(new VerifyTotpHandler(account, cors).handleRequest(event, null), 400, "CodeMismatch");
            verify(users, never()).setMfaEnabled(anyString(), org.mockito.ArgumentMatchers.anyBoolean());
        }

        @ParameterizedTest
        @Event(value = "events/disable-mfa.json", type = APIGatewayProxyRequestEvent.class)
        void disableMfa_turnsTotpOff(APIGatewayProxyRequestEvent event) {
            assertThat(new DisableMfaHandler(account, cors).handleRequest(event, null).getStatusCode()).isEqualTo(204);
            verify(users).setMfaEnabled(SUB, false);
        }
    }

    @Nested
    class SecurityActivity {
        final dev.userapi.core.activity.ActivityRepository repository = mock(dev.userapi.core.activity.ActivityRepository.class);
        final AccountService recording = new AccountService(gateway, users, sessions, new Provisioning(users, config, clock),
                "User API", java.time.Duration.ofSeconds(300), clock,
                new AttemptLimiter(new MemoryAttemptStore(), AttemptPolicy.STANDARD, clock),
                new dev.userapi.identity.Activity(repository, users, clock));

        @ParameterizedTest
        @Event(value = "events/list-activity.json", type = APIGatewayProxyRequestEvent.class)
        void listActivity_readsTheCallersOwnPartition_andAnswersItemsAndCursor(APIGatewayProxyRequestEvent event) {
            event.setQueryStringParameters(Map.of("limit", "20", "cursor", "abc"));
            when(repository.list(SUB, 20, Optional.of("abc"))).thenReturn(new dev.userapi.core.user.Page<>(List.of(
                    new dev.userapi.core.activity.ActivityItem(T.plusSeconds(5), dev.userapi.core.activity.ActivityEvent.SIGN_IN,
                            "203.0.113.7", "Firefox"),
                    new dev.userapi.core.activity.ActivityItem(T, dev.userapi.core.activity.ActivityEvent.MFA_ENABLED, null, null)),
                    "next"));
            var response = new ListActivityHandler(recording, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(200);
            var body = ApiEvents.body(response);
            assertThat(body.get("items")).hasSize(2);
            assertThat(body.get("items").get(0).get("event").asText()).isEqualTo("SIGN_IN");
            assertThat(body.get("items").get(0).get("sourceIp").asText()).isEqualTo("203.0.113.7");
            assertThat(body.get("items").get(0).get("at").asText()).isEqualTo(T.plusSeconds(5).toString());
            assertThat(body.get("items").get(1).has("sourceIp")).isFalse();
            assertThat(body.get("nextCursor").asText()).isEqualTo("next");
        }

        @ParameterizedTest
        @Event(value = "events/list-activity.json", type = APIGatewayProxyRequestEvent.class)
        void listActivity_withAnotherQueryParameterOrABadLimit_is400(APIGatewayProxyRequestEvent event) {
            event.setQueryStringParameters(Map.of("userId", "someone-else"));
            assertProblem(new ListActivityHandler(recording, cors).handleRequest(event, null), 400, "InvalidRequest");
            event.setQueryStringParameters(Map.of("limit", "1000"));
            assertProblem(new ListActivityHandler(recording, cors).handleRequest(event, null), 400, "InvalidRequest");
            verify(repository, never()).list(anyString(), org.mockito.ArgumentMatchers.anyInt(), any());
        }

        @ParameterizedTest
        @Event(value = "events/verify-totp.json", type = APIGatewayProxyRequestEvent.class)
        void verifyTotp_recordsMfaEnabled_withTheRequestsSource(APIGatewayProxyRequestEvent event) {
            when(cognito.verifySoftwareToken(any(VerifySoftwareTokenRequest.class))).thenReturn(
                    VerifySoftwareTokenResponse.builder().status(VerifySoftwareTokenResponseType.SUCCESS).build());
            assertThat(new VerifyTotpHandler(recording, cors).handleRequest(event, null).getStatusCode()).isEqualTo(204);
            verify(repository).record(eq(SUB), eq(new dev.userapi.core.activity.ActivityItem(NOW,
                    dev.userapi.core.activity.ActivityEvent.MFA_ENABLED, "203.0.113.7", event.getRequestContext().getIdentity().getUserAgent())));
        }
    }

    @Nested
    class Sessions {
        @ParameterizedTest
        @Event(value = "events/list-sessions.json", type = APIGatewayProxyRequestEvent.class)
        void listSessions_showsLiveSessionsOnly(APIGatewayProxyRequestEvent event) {
            when(users.findRecord(SUB)).thenReturn(Optional.of(new UserRecord(SUB, UserStatus.ENABLED, List.of("user"),
                    OptionalLong.of(T.plusSeconds(10).toEpochMilli()))));
            when(sessions.listForUser(SUB)).thenReturn(List.of(
                    new Session("h2", "s-new", SUB, T.plusSeconds(20), T.plusSeconds(30), "203.0.113.7", "Firefox"),
                    new Session("h1", "s-old", SUB, T, T, "198.51.100.1", "Chrome")));
            var response = new ListSessionsHandler(account, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(200);
            var items = ApiEvents.body(response).get("items");
            assertThat(items).hasSize(1);
            assertThat(items.get(0).get("id").asText()).isEqualTo("s-new");
            assertThat(items.get(0).get("sourceIp").asText()).isEqualTo("203.0.113.7");
            assertThat(items.get(0).toString()).doesNotContain("h2");
            assertThat(items.get(0).get("current").asBoolean()).as("the event's token is not the caller's").isFalse();
        }

        @ParameterizedTest
        @Event(value = "events/list-sessions.json", type = APIGatewayProxyRequestEvent.class)
        void listSessions_marksTheSessionOfTheCallersOwnToken(APIGatewayProxyRequestEvent event) {
            java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
            String token = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(("{\"sub\":\"" + SUB + "\",\"origin_jti\":\"jti-mine\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    + ".c2lnbmF0dXJl";
            java.util.Map<String, String> headers = new java.util.HashMap<>(event.getHeaders());
            headers.put("Authorization", "Bearer " + token);
            event.setHeaders(headers);
            event.setMultiValueHeaders(null);
            when(sessions.listForUser(SUB)).thenReturn(List.of(
                    new Session("h2", "s-other", SUB, T.plusSeconds(20), T.plusSeconds(30), "203.0.113.7", "Firefox", "jti-other"),
                    new Session("h1", "s-mine", SUB, T, T, "198.51.100.1", "Chrome", "jti-mine")));
            var response = new ListSessionsHandler(account, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(200);
            var items = ApiEvents.body(response).get("items");
            assertThat(items.get(0).get("current").asBoolean()).isFalse();
            assertThat(items.get(1).get("id").asText()).isEqualTo("s-mine");
            assertThat(items.get(1).get("current").asBoolean()).isTrue();
        }

        @ParameterizedTest
        @Event(value = "events/revoke-session.json", type = APIGatewayProxyRequestEvent.class)
        void revokeSession_refusesItsAccessTokensAndDeletesItsItem_only(APIGatewayProxyRequestEvent event) {
            when(sessions.listForUser(SUB)).thenReturn(List.of(
                    new Session("h2", "s-other", SUB, T, T, "203.0.113.7", "Firefox", "jti-other"),
                    new Session("h1", "5f0c2a9e-7b1d-4c3e-9a8f-1e2d3c4b5a69", SUB, T, T, "198.51.100.1", "Chrome")));
            // an index entry without origin_jti (a session older than its recording): the item is read, it holds it
            when(sessions.find("h1")).thenReturn(Optional.of(
                    new Session("h1", "5f0c2a9e-7b1d-4c3e-9a8f-1e2d3c4b5a69", SUB, T, T, "198.51.100.1", "Chrome", "jti-1")));
            var response = new RevokeSessionHandler(account, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(204);
            verify(users).revokeSession(eq(SUB), eq("jti-1"), eq(NOW.plusSeconds(65 * 60).getEpochSecond()));
            verify(sessions).delete("h1");
            verify(sessions, never()).delete("h2");
        }

        @ParameterizedTest
        @Event(value = "events/revoke-session.json", type = APIGatewayProxyRequestEvent.class)
        void revokeSession_withOriginJtiInTheIndex_readsNoItem(APIGatewayProxyRequestEvent event) {
            when(sessions.listForUser(SUB)).thenReturn(List.of(
                    new Session("h1", "5f0c2a9e-7b1d-4c3e-9a8f-1e2d3c4b5a69", SUB, T, T, "198.51.100.1", "Chrome", "jti-1")));
            var response = new RevokeSessionHandler(account, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(204);
            verify(sessions, never()).find(anyString());
            verify(users).revokeSession(eq(SUB), eq("jti-1"), eq(NOW.plusSeconds(65 * 60).getEpochSecond()));
            verify(sessions).delete("h1");
        }

        @ParameterizedTest
        @Event(value = "events/revoke-session.json", type = APIGatewayProxyRequestEvent.class)
        void revokeSession_ofAnotherUserOrUnknown_is404AndEndsNothing(APIGatewayProxyRequestEvent event) {
            // the caller's own sessions are the only ones looked at: another user's id is simply not among them
            when(sessions.listForUser(SUB)).thenReturn(List.of(new Session("h2", "s-other", SUB, T, T, "203.0.113.7", "Firefox", "j")));
            assertProblem(new RevokeSessionHandler(account, cors).handleRequest(event, null), 404, "NotFound");
            verify(sessions).listForUser(SUB);
            verify(sessions, never()).delete(anyString());
            verify(users, never()).revokeSession(anyString(), anyString(), org.mockito.ArgumentMatchers.anyLong());
        }

        @ParameterizedTest
        @Event(value = "events/sign-out-everywhere.json", type = APIGatewayProxyRequestEvent.class)
        void signOutEverywhere_revokesAtCognitoAndInDynamoDb(APIGatewayProxyRequestEvent event) {
            var response = new SignOutEverywhereHandler(account, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(204);
            verify(cognito).globalSignOut(any(GlobalSignOutRequest.class));
            verify(users).endSessions(SUB);
            verify(sessions).deleteAllForUser(SUB);
        }
    }
}
