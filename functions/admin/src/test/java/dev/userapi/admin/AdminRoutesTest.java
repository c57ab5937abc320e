package dev.userapi.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.Cors;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.testing.ApiEvents;
import dev.userapi.core.testing.SdkMocks;
import dev.userapi.core.user.AuditEntry;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.Page;
import dev.userapi.core.user.SessionRepository;
import dev.userapi.core.user.UserFilter;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import dev.userapi.identity.AdminService;
import dev.userapi.identity.CognitoGateway;
import dev.userapi.identity.Provisioning;
import dev.userapi.identity.RoleMirror;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminCreateUserRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminCreateUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminDisableUserRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminListGroupsForUserRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminListGroupsForUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminUserGlobalSignOutRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/** The /users routes: authorization, validation, the error responses of docs/openapi.yaml and the audit trail. */
class AdminRoutesTest {
    static final String USER = "3b1f8c9e-2d4a-4f7b-9c1e-5a6b7c8d9e0f";
    static final String ADMIN = "9d2e7a1b-4c3f-4e8d-a6b5-0f1e2d3c4b5a";
    static final Instant T = Instant.parse("2026-11-22T09:00:00Z");

    final CognitoIdentityProviderClient cognito = SdkMocks.client(CognitoIdentityProviderClient.class);
    final UserRepository users = mock(UserRepository.class);
    final SessionRepository sessions = mock(SessionRepository.class);
    final AuditRepository audit = mock(AuditRepository.class);
    final AppConfig config = AppConfig.from(Map.of("AWS_REGION", "us-east-1", "TABLE_NAME", "users", "ROLES", "user,admin,editor"));
    final CognitoGateway gateway = new CognitoGateway(cognito, "pool", "client");
    final AdminService admin = new AdminService(gateway, users, sessions, audit, new Provisioning(users, config, Clock.systemUTC()),
            new RoleMirror(gateway, users, config.roles()), config, Clock.systemUTC());
    final Cors cors = new Cors(List.of("http://localhost:3000"));

    AdminRoutesTest() {
        when(cognito.adminListGroupsForUser(any(AdminListGroupsForUserRequest.class)))
                .thenReturn(AdminListGroupsForUserResponse.builder().build());
    }

    static UserProfile profile(String id, long version, String... roles) {
        return new UserProfile(id, "ada@example.com", "Ada", null, null, null, List.of(roles), UserStatus.ENABLED, false, T, T, version);
    }

    static APIGatewayProxyRequestEvent load(String file) {
        return com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayRestEvent("events/" + file);
    }

    static void assertProblem(APIGatewayProxyResponseEvent response, int status, String code) {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(ApiEvents.header(response, "Content-Type")).isEqualTo("application/problem+json");
        assertThat(ApiEvents.body(response).get("code").asText()).isEqualTo(code);
    }

    /** How each admin handler is built for a test: from the service and the CORS policy. */
    private interface Route extends BiFunction<AdminService, Cors, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> {
    }

    static Stream<Arguments> everyAdminRoute() {
        List<Object[]> routes = List.of(
                new Object[] {"admin-list-users.json", (Route) AdminListUsersHandler::new},
                new Object[] {"admin-create-user.json", (Route) AdminCreateUserHandler::new},
                new Object[] {"admin-get-user.json", (Route) AdminGetUserHandler::new},
                new Object[] {"admin-update-user.json", (Route) AdminUpdateUserHandler::new},
                new Object[] {"admin-delete-user.json", (Route) AdminDeleteUserHandler::new},
                new Object[] {"admin-set-roles.json", (Route) AdminSetRolesHandler::new},
                new Object[] {"admin-disable-user.json", (Route) AdminDisableUserHandler::new},
                new Object[] {"admin-enable-user.json", (Route) AdminEnableUserHandler::new},
                new Object[] {"admin-reset-password.json", (Route) AdminResetPasswordHandler::new},
                new Object[] {"admin-sign-out-user.json", (Route) AdminSignOutUserHandler::new},
                new Object[] {"admin-get-audit.json", (Route) AdminGetAuditHandler::new});
        return routes.stream().map(r -> Arguments.of(r[0], r[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyAdminRoute")
    void b13_nonAdmins_get403OnEveryAdminRoute_andNothingIsRead(String file,
            BiFunction<AdminService, Cors, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> factory) {
        var event = load(file);
        event.getRequestContext().getAuthorizer().put("roles", "user");
        assertProblem(factory.apply(admin, cors).handleRequest(event, null), 403, "Forbidden");
        verifyNoInteractions(users, audit);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyAdminRoute")
    void everyAdminRoute_answersItsEventWithoutA5xx(String file,
            BiFunction<AdminService, Cors, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> factory) {
        when(users.find(anyString())).thenReturn(Optional.of(profile(USER, 4, "user")));
        when(users.findRecord(anyString())).thenReturn(Optional.of(new UserRecord(USER, UserStatus.ENABLED, List.of("user"), OptionalLong.empty())));
        when(users.update(anyString(), any(), any())).thenReturn(profile(USER, 5, "user"));
        when(users.replaceRoles(anyString(), anyList())).thenReturn(profile(USER, 5, "admin", "user"));
        when(users.setStatus(anyString(), any())).thenReturn(profile(USER, 5, "user"));
        when(users.list(any(), org.mockito.ArgumentMatchers.anyInt(), any())).thenReturn(new Page<>(List.of(profile(USER, 1, "user")), null));
        when(audit.list(anyString(), org.mockito.ArgumentMatchers.anyInt(), any())).thenReturn(new Page<>(List.of(), null));
        when(cognito.adminCreateUser(any(AdminCreateUserRequest.class))).thenReturn(AdminCreateUserResponse.builder()
                .user(UserType.builder().username(USER).attributes(AttributeType.builder().name("sub").value(USER).build()).build()).build());
        var response = factory.apply(admin, cors).handleRequest(load(file), null);
        assertThat(response.getStatusCode()).isBetween(200, 299);
    }

    @Nested
    class ListUsers {
        @ParameterizedTest
        @ValueSource(strings = {"limit=0", "limit=101", "limit=ten", "role=superuser", "status=LOCKED", "sort=email"})
        void badQueries_are400(String query) {
            var event = load("admin-list-users.json");
            String[] kv = query.split("=", 2);
            event.setQueryStringParameters(Map.of(kv[0], kv[1]));
            assertProblem(new AdminListUsersHandler(admin, cors).handleRequest(event, null), 400, "InvalidRequest");
        }

        @ParameterizedTest
        @Event(value = "events/admin-list-users.json", type = APIGatewayProxyRequestEvent.class)
        void listUsers_passesTheFiltersAndReturnsTheCursor(APIGatewayProxyRequestEvent event) {
            when(users.list(any(), org.mockito.ArgumentMatchers.anyInt(), any())).thenReturn(new Page<>(List.of(profile(USER, 1, "user")), "next-page"));
            var response = new AdminListUsersHandler(admin, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(ApiEvents.body(response).get("nextCursor").asText()).isEqualTo("next-page");
            var filter = ArgumentCaptor.forClass(UserFilter.class);
            verify(users).list(filter.capture(), eq(25), eq(Optional.empty()));
            assertThat(filter.getValue().emailPrefix()).contains("ada");
            assertThat(filter.getValue().status()).contains(UserStatus.ENABLED);
        }
    }

    @Nested
    class CreateUser {
        @ParameterizedTest
        @Event(value = "events/admin-create-user.json", type = APIGatewayProxyRequestEvent.class)
        void createUser_whenTheEmailExists_is409(APIGatewayProxyRequestEvent event) {
            when(cognito.adminCreateUser(any(AdminCreateUserRequest.class))).thenThrow(UsernameExistsException.builder().build());
            when(cognito.adminGetUser(any(AdminGetUserRequest.class))).thenReturn(AdminGetUserResponse.builder().username(USER)
                    .userAttributes(AttributeType.builder().name("sub").value(USER).build()).build());
            when(users.findRecord(USER)).thenReturn(Optional.of(new UserRecord(USER, UserStatus.ENABLED, List.of("user"), OptionalLong.empty())));
            assertProblem(new AdminCreateUserHandler(admin, cors).handleRequest(event, null), 409, "Conflict");
        }

        @ParameterizedTest
        @Event(value = "events/admin-create-user.json", type = APIGatewayProxyRequestEvent.class)
        void b26_createUser_overAnUnconfirmedSelfSignUp_replacesIt_andTheAuditSaysSo(APIGatewayProxyRequestEvent event) {
            String squatter = "7a7a7a7a-1111-4222-8333-944444444444";
            when(cognito.adminCreateUser(any(AdminCreateUserRequest.class)))
                    .thenThrow(UsernameExistsException.builder().build())
                    .thenReturn(AdminCreateUserResponse.builder().user(UserType.builder().username(USER)
                            .attributes(AttributeType.builder().name("sub").value(USER).build()).build()).build());
            when(cognito.adminGetUser(any(AdminGetUserRequest.class))).thenReturn(AdminGetUserResponse.builder().username(squatter)
                    .userStatus("UNCONFIRMED").userAttributes(AttributeType.builder().name("sub").value(squatter).build()).build());
            when(users.find(USER)).thenReturn(Optional.of(profile(USER, 1, "user")));

            var response = new AdminCreateUserHandler(admin, cors).handleRequest(event, null);

            assertThat(response.getStatusCode()).isEqualTo(201);
            assertThat(ApiEvents.header(response, "Location")).isEqualTo("/users/" + USER);
            var order = org.mockito.Mockito.inOrder(cognito);
            order.verify(cognito).adminCreateUser(any(AdminCreateUserRequest.class));
            var deleted = ArgumentCaptor.forClass(software.amazon.awssdk.services.cognitoidentityprovider.model.AdminDeleteUserRequest.class);
            order.verify(cognito).adminDeleteUser(deleted.capture());
            assertThat(deleted.getValue().username()).isEqualTo(squatter);
            order.verify(cognito).adminCreateUser(any(AdminCreateUserRequest.class));
            verify(users, never()).createIfAbsent(org.mockito.ArgumentMatchers.argThat(p -> p.id().equals(squatter)), org.mockito.ArgumentMatchers.anyBoolean());
            var entry = ArgumentCaptor.forClass(AuditEntry.class);
            verify(audit).append(entry.capture());
            assertThat(entry.getValue().target()).isEqualTo(USER);
            assertThat(entry.getValue().details()).containsEntry("replacedUnconfirmedSignUp", squatter);
        }

        @ParameterizedTest
        @Event(value = "events/admin-create-user.json", type = APIGatewayProxyRequestEvent.class)
        void createUser_withAnUnknownRole_is400BeforeCognito(APIGatewayProxyRequestEvent event) {
            event.setBody("{\"email\":\"x@example.com\",\"roles\":[\"root\"]}");
            assertProblem(new AdminCreateUserHandler(admin, cors).handleRequest(event, null), 400, "InvalidRequest");
            verify(cognito, never()).adminCreateUser(any(AdminCreateUserRequest.class));
        }

        @ParameterizedTest
        @Event(value = "events/admin-create-user.json", type = APIGatewayProxyRequestEvent.class)
        void createUser_returns201WithLocationAndAudits(APIGatewayProxyRequestEvent event) {
            when(cognito.adminCreateUser(any(AdminCreateUserRequest.class))).thenReturn(AdminCreateUserResponse.builder()
                    .user(UserType.builder().username(USER).attributes(AttributeType.builder().name("sub").value(USER).build()).build()).build());
            when(users.find(USER)).thenReturn(Optional.of(profile(USER, 1, "user")));
            var response = new AdminCreateUserHandler(admin, cors).handleRequest(event, null);
            assertThat(response.getStatusCode()).isEqualTo(201);
            assertThat(ApiEvents.header(response, "Location")).isEqualTo("/users/" + USER);
            var entry = ArgumentCaptor.forClass(AuditEntry.class);
            verify(audit).append(entry.capture());
            assertThat(entry.getValue().action()).isEqualTo("user.create");
            assertThat(entry.getValue().actor()).isEqualTo(ADMIN);
            assertThat(entry.getValue().target()).isEqualTo(USER);
        }
    }

    @Nested
    class Roles {
        @ParameterizedTest
        @Event(value = "events/admin-set-roles.json", type = APIGatewayProxyRequestEvent.class)
        void setRoles_withAnUnknownRole_is400(APIGatewayProxyRequestEvent event) {
            event.setBody("{\"roles\":[\"user\",\"superadmin\"]}");
            assertProblem(new AdminSetRolesHandler(admin, cors).handleRequest(event, null), 400, "InvalidRequest");
            verify(users, never()).replaceRoles(anyString(), anyList());
        }

        @ParameterizedTest
        @Event(value = "events/admin-set-roles.json", type = APIGatewayProxyRequestEvent.class)
        void setRoles_removingTheLastAdmin_is409(APIGatewayProxyRequestEvent event) {
            event.setBody("{\"roles\":[\"user\"]}");
            when(users.find(USER)).thenReturn(Optional.of(profile(USER, 2, "admin", "user")));
            when(users.replaceRoles(eq(USER), anyList())).thenThrow(new ConflictException("This would remove the last administrator."));
            assertProblem(new AdminSetRolesHandler(admin, cors).handleRequest(event, null), 409, "Conflict");
            verify(audit, never()).append(any());
        }

        @ParameterizedTest
        @Event(value = "events/admin-set-roles.json", type = APIGatewayProxyRequestEvent.class)
        void setRoles_alwaysKeepsTheUserRole_andAudits(APIGatewayProxyRequestEvent event) {
            event.setBody("{\"roles\":[\"editor\"]}");
            when(users.find(USER)).thenReturn(Optional.of(profile(USER, 2, "user")));
            when(users.replaceRoles(eq(USER), anyList())).thenReturn(profile(USER, 3, "editor", "user"));
            assertThat(new AdminSetRolesHandler(admin, cors).handleRequest(event, null).getStatusCode()).isEqualTo(200);
            verify(users).replaceRoles(USER, List.of("editor", "user"));
            var entry = ArgumentCaptor.forClass(AuditEntry.class);
            verify(audit).append(entry.capture());
            assertThat(entry.getValue().details()).containsEntry("before", List.of("user")).containsEntry("after", List.of("editor", "user"));
        }
    }

    @Nested
    class LockOutProtection {
        @ParameterizedTest
        @Event(value = "events/admin-disable-user.json", type = APIGatewayProxyRequestEvent.class)
        void disablingYourself_is409(APIGatewayProxyRequestEvent event) {
            event.getPathParameters().put("id", ADMIN);
            assertProblem(new AdminDisableUserHandler(admin, cors).handleRequest(event, null), 409, "Conflict");
            verify(users, never()).setStatus(anyString(), any());
        }

        @ParameterizedTest
        @Event(value = "events/admin-delete-user.json", type = APIGatewayProxyRequestEvent.class)
        void deletingYourself_is409(APIGatewayProxyRequestEvent event) {
            event.getPathParameters().put("id", ADMIN);
            assertProblem(new AdminDeleteUserHandler(admin, cors).handleRequest(event, null), 409, "Conflict");
            verify(users, never()).delete(anyString());
        }

        @ParameterizedTest
        @Event(value = "events/admin-disable-user.json", type = APIGatewayProxyRequestEvent.class)
        void disablingSomeoneElse_blocksSignInAndEndsSessions(APIGatewayProxyRequestEvent event) {
            when(users.setStatus(USER, UserStatus.DISABLED)).thenReturn(profile(USER, 3, "user"));
            assertThat(new AdminDisableUserHandler(admin, cors).handleRequest(event, null).getStatusCode()).isEqualTo(204);
            verify(cognito).adminDisableUser(any(AdminDisableUserRequest.class));
            verify(cognito).adminUserGlobalSignOut(any(AdminUserGlobalSignOutRequest.class));
            verify(sessions).deleteAllForUser(USER);
        }
    }

    @Nested
    class NotFound {
        @ParameterizedTest
        @ValueSource(strings = {"00000000-0000-0000-0000-000000000000", "../../etc/passwd", "USER#x", "%00"})
        void unknownOrMalformedIds_are404(String id) {
            var event = load("admin-get-user.json");
            event.getPathParameters().put("id", id);
            when(users.find(anyString())).thenReturn(Optional.empty());
            assertProblem(new AdminGetUserHandler(admin, cors).handleRequest(event, null), 404, "NotFound");
        }
    }
}
