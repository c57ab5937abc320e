package dev.userapi.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final RouteTable table = new RouteTable(List.of(
            new Route("GET", "/users/{id}", "GetUser", Optional.of("auth")),
            new Route("GET", "/users/me", "Literal", Optional.of("auth")),
            new Route("PUT", "/users/{id}/roles", "SetRoles", Optional.of("auth")),
            new Route("GET", "/health", "Health", Optional.empty()),
            new Route("ANY", "/files/{path+}", "Files", Optional.empty())));

    @Test
    void aLiteralSegment_winsOverAParameter() {
        assertThat(table.find("GET", "/users/me").orElseThrow().route().functionId()).isEqualTo("Literal");
        assertThat(table.find("GET", "/users/abc").orElseThrow().route().functionId()).isEqualTo("GetUser");
    }

    @Test
    void pathParameters_areDecoded() {
        RouteTable.Match match = table.find("PUT", "/users/a%20b%2Bc/roles").orElseThrow();

        assertThat(match.pathParameters()).isEqualTo(Map.of("id", "a b+c"));
        assertThat(match.route().resource()).isEqualTo("/users/{id}/roles");
    }

    @Test
    void aResourceWithoutTheMethod_orAnUnknownPath_hasNoRoute() {
        assertThat(table.find("POST", "/health")).isEmpty();
        assertThat(table.find("GET", "/users")).isEmpty();
        assertThat(table.find("GET", "/users/abc/roles")).isEmpty();
        assertThat(table.find("GET", "/nowhere")).isEmpty();
    }

    @Test
    void aGreedyParameter_takesTheRestOfThePath_forAnyMethod() {
        RouteTable.Match match = table.find("DELETE", "/files/a/b/c.txt").orElseThrow();

        assertThat(match.pathParameters()).isEqualTo(Map.of("path", "a/b/c.txt"));
    }
}
