package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.local.faults.FaultProxy.Answer;
import dev.userapi.local.faults.Faults;
import dev.userapi.e2e.client.Race;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.local.testing.FaultStack;
import dev.userapi.local.testing.TestUser;
import dev.userapi.local.testing.TestUsers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/SECURITY.md item 17: throttling per stage and per {@code /auth/*} route at the gateway, and
 * Cognito's (and DynamoDB's) own limits, all surface as 429 problem+json with {@code Retry-After};
 * the client's address is the connection's, never {@code X-Forwarded-For}.
 *
 * <p>Runs on the {@link FaultStack}, whose {@code /auth/*} routes allow a burst of 60 and 2 requests a
 * second ({@code AuthThrottlingBurstLimit}/{@code AuthThrottlingRateLimit} overrides of the
 * template's MethodSettings); {@link FaultStack#THROTTLED_ROUTE} is used by this test only.
 */
class ThrottlingIT {
    private final ApiClient api = FaultStack.api();
    private final Faults faults = FaultStack.faults();

    @AfterEach
    void heal() {
        faults.healAll();
    }

    @Test
    void b17_authRouteBeyondItsBurst_is429WithRetryAfter_andOtherRoutesAreNotAffected() throws Exception {
        int burst = Integer.parseInt(FaultStack.OVERRIDES.get("AuthThrottlingBurstLimit"));
        double rate = Double.parseDouble(FaultStack.OVERRIDES.get("AuthThrottlingRateLimit"));
        // Far beyond the bucket: the extra requests are more than the rate refills in 40 s, so 429s appear however
        // slowly a loaded machine serves the race (the exact arithmetic is ThrottleTest's, on an injected clock).
        int requests = burst + (int) Math.ceil(rate * 40);
        String email = TestUsers.uniqueEmail("b17");

        long started = System.nanoTime();
        List<ApiResponse> responses = Race.run(requests, () -> api.post(FaultStack.THROTTLED_ROUTE)
                .origin("http://localhost:3000").json(Map.of("email", email)).send());
        double seconds = (System.nanoTime() - started) / 1e9;
        ApiResponse otherRoute = api.post("/auth/forgot-password").json(Map.of("email", email)).send();

        long accepted = responses.stream().filter(r -> r.status() == 202).count();
        List<ApiResponse> throttled = responses.stream().filter(r -> r.status() == 429).toList();
        assertThat(accepted + throttled.size()).as("only 202 and 429: " + responses).isEqualTo(requests);
        assertThat(accepted).as("the burst, plus what the rate refilled meanwhile").isBetween((long) burst - 1,
                (long) Math.ceil(burst + rate * seconds) + 1);
        assertThat(throttled).isNotEmpty().allSatisfy(r -> {
            assertThat(r.header("Retry-After")).contains("1");
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().path("code").asText()).isEqualTo("TooManyRequests");
            assertThat(r.json().path("status").asInt()).isEqualTo(429);
            assertThat(r.header("Access-Control-Allow-Origin")).contains("http://localhost:3000");
        });
        assertThat(otherRoute.status()).as("each /auth route has its own bucket: " + otherRoute).isEqualTo(202);

        assertThat(untilAccepted(email, Duration.ofSeconds(30))).as("the bucket refills: the route answers again").isEqualTo(202);
    }

    /**
     * The route's status once it admits a request again, polling every {@code 1/rate} seconds (a refill's
     * worth) until {@code limit}: a refused poll takes no token, and a slow machine only waits longer.
     */
    private int untilAccepted(String email, Duration limit) throws InterruptedException {
        double rate = Double.parseDouble(FaultStack.OVERRIDES.get("AuthThrottlingRateLimit"));
        long deadline = System.nanoTime() + limit.toNanos();
        int status;
        do {
            Thread.sleep((long) (1000 / rate));
            status = api.post(FaultStack.THROTTLED_ROUTE).json(Map.of("email", email)).send().status();
        } while (status == 429 && System.nanoTime() < deadline);
        return status;
    }

    @Test
    void b17_cognitoTooManyRequests_andLimitExceeded_are429WithRetryAfter() {
        TestUser user = TestUsers.confirmed(api, "b17-cognito");

        faults.cognito().answer(Answer.awsError(400, "TooManyRequestsException", "Too many requests"));
        ApiResponse login = api.post("/auth/login").json(Map.of("email", user.email(), "password", user.password())).send();
        faults.cognito().answer(Answer.awsError(400, "LimitExceededException", "Attempt limit exceeded, please try after some time."));
        ApiResponse forgot = api.post("/auth/forgot-password").json(Map.of("email", user.email())).send();
        faults.cognito().pass();

        assertThat(login.status()).as(login.toString()).isEqualTo(429);
        assertThat(login.header("Retry-After")).contains("5");
        assertThat(forgot.status()).as(forgot.toString()).isEqualTo(429);
        assertThat(forgot.header("Retry-After")).contains("30");
        for (ApiResponse response : List.of(login, forgot)) {
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().path("code").asText()).isEqualTo("TooManyRequests");
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("Attempt limit");
        }
        assertThat(user.login(api).accessToken()).isNotBlank();
    }

    @Test
    void b17_clientAddress_isTheConnectionsNeverXForwardedFor() {
        TestUser user = TestUsers.confirmed(api, "b17-ip");
        ApiResponse login = api.post("/auth/login").header("X-Forwarded-For", "203.0.113.66")
                .json(Map.of("email", user.email(), "password", user.password())).send();
        assertThat(login.status()).isEqualTo(200);

        ApiResponse sessions = api.get("/me/sessions").bearer(login.json().path("accessToken").asText())
                .header("X-Forwarded-For", "198.51.100.7").send();
        assertThat(sessions.json().path("items")).hasSize(1);
        assertThat(sessions.json().path("items").get(0).path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(sessions.body()).doesNotContain("203.0.113.66").doesNotContain("198.51.100.7");
    }
}
