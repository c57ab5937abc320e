package dev.userapi.e2e.client;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the API's problem+json answers. */
public final class Problems {
    private Problems() {
    }

    /** {@code response} is a problem+json answer with this status and error code. */
    public static void assertProblem(ApiResponse response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("code").asText()).as(response.toString()).isEqualTo(code);
    }
}
