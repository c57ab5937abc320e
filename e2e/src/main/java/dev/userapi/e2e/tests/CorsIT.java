package dev.userapi.e2e.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CORS preflight through the template's OPTIONS routes (CorsPreflightFunction), never needing a token. */
class CorsIT {
    /** An origin the stack allows (the template's default AllowedOrigins locally). */
    private static final String ALLOWED = Target.get().origin();
    private static final String FOREIGN = "https://evil.example";

    private final ApiClient api = Target.get().api();

    @ParameterizedTest
    @ValueSource(strings = {"/auth/login", "/health", "/me", "/users/abc-123/roles"})
    void preflight_fromAllowedOrigin_allowsTheOrigin(String path) {
        ApiResponse response = api.options(path).origin(ALLOWED)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").send();

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Access-Control-Allow-Origin")).contains(ALLOWED);
        assertThat(response.header("Access-Control-Allow-Methods").orElse("")).contains("POST");
        assertThat(response.header("Access-Control-Allow-Headers").orElse("").toLowerCase()).contains("authorization");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/auth/login", "/me"})
    void preflight_fromForeignOrigin_allowsNothing(String path) {
        ApiResponse response = api.options(path).origin(FOREIGN).header("Access-Control-Request-Method", "POST").send();

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.header("Access-Control-Allow-Methods")).isEmpty();
    }

    static java.util.stream.Stream<String> origins() {
        return java.util.stream.Stream.of(ALLOWED, FOREIGN);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("origins")
    void actualRequest_echoesOnlyAnAllowedOrigin(String origin) {
        ApiResponse response = api.get("/health").origin(origin).send();

        assertThat(response.status()).isEqualTo(200);
        if (origin.equals(ALLOWED)) {
            assertThat(response.header("Access-Control-Allow-Origin")).contains(ALLOWED);
        } else {
            assertThat(response.header("Access-Control-Allow-Origin")).isEmpty();
        }
    }
}
