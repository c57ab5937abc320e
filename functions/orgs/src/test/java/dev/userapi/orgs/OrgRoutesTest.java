package dev.userapi.orgs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.userapi.core.http.Cors;
import dev.userapi.core.org.OrgRole;
import dev.userapi.core.problem.GoneException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.identity.OrgService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;

/** The org route handlers with the service mocked: statuses, bodies and problem+json answers of docs/openapi.yaml. */
class OrgRoutesTest {
    static final String ORG = "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
    final OrgService orgs = mock(OrgService.class);
    final Cors cors = new Cors(List.of("http://localhost:3000"));

    @ParameterizedTest
    @Event(value = "events/create-org.json", type = APIGatewayProxyRequestEvent.class)
    void createOrg_is201_withTheCallerAsOwner(APIGatewayProxyRequestEvent event) {
        when(orgs.create(any(), eq("Acme"))).thenReturn(Map.of("id", ORG, "name", "Acme", "role", "owner"));

        var response = new CreateOrgHandler(orgs, cors).handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getBody()).contains("\"role\":\"owner\"");
    }

    @ParameterizedTest
    @Event(value = "events/create-org.json", type = APIGatewayProxyRequestEvent.class)
    void createOrg_withAnUnknownField_is400_andCreatesNothing(APIGatewayProxyRequestEvent event) {
        event.setBody("{\"name\":\"Acme\",\"owner\":\"someone-else\"}");

        var response = new CreateOrgHandler(orgs, cors).handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders().get("Content-Type")).startsWith("application/problem+json");
    }

    @ParameterizedTest
    @Event(value = "events/get-org.json", type = APIGatewayProxyRequestEvent.class)
    void getOrg_ofANonMember_is404ProblemJson(APIGatewayProxyRequestEvent event) {
        when(orgs.get(any(), eq(ORG))).thenThrow(new NotFoundException("The organization does not exist."));

        var response = new GetOrgHandler(orgs, cors).handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getBody()).contains("\"code\":\"NotFound\"");
    }

    @ParameterizedTest
    @Event(value = "events/set-org-member-role.json", type = APIGatewayProxyRequestEvent.class)
    void setRole_passesTheParsedRole(APIGatewayProxyRequestEvent event) {
        when(orgs.setRole(any(), eq(ORG), anyString(), eq(OrgRole.ADMIN))).thenReturn(Map.of("role", "admin"));

        var response = new SetOrgMemberRoleHandler(orgs, cors).handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        event.setBody("{\"role\":\"superuser\"}");
        assertThat(new SetOrgMemberRoleHandler(orgs, cors).handleRequest(event, null).getStatusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @Event(value = "events/create-org-invitation.json", type = APIGatewayProxyRequestEvent.class)
    void invite_is201_andTheAnswerCarriesNoToken(APIGatewayProxyRequestEvent event) {
        when(orgs.invite(any(), eq(ORG), eq("ann@example.com"), eq(OrgRole.MEMBER)))
                .thenReturn(Map.of("id", "i1", "email", "ann@example.com", "role", "member", "expiresAt", "2030-01-08T00:00:00Z"));

        var response = new CreateOrgInvitationHandler(orgs, cors).handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getBody()).doesNotContain("token");
    }

    @ParameterizedTest
    @Event(value = "events/accept-invitation.json", type = APIGatewayProxyRequestEvent.class)
    void accept_ofAUsedInvitation_is410Gone(APIGatewayProxyRequestEvent event) {
        when(orgs.accept(any(), anyString())).thenThrow(new GoneException("The invitation has been used."));

        var response = new AcceptInvitationHandler(orgs, cors).handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(410);
        assertThat(response.getBody()).contains("\"code\":\"Gone\"");
    }

    @ParameterizedTest
    @Event(value = "events/remove-org-member.json", type = APIGatewayProxyRequestEvent.class)
    void removeMember_is204(APIGatewayProxyRequestEvent event) {
        var response = new RemoveOrgMemberHandler(orgs, cors).handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(204);
        verify(orgs).removeMember(any(), eq(ORG), anyString());
    }
}
