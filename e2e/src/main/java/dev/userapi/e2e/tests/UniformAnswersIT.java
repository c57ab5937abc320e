package dev.userapi.e2e.tests;

import dev.userapi.e2e.Requires;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/SECURITY.md item 12: sign-up, resend-code, forgot-password and login answer an existing and an
 * unknown e-mail alike — the same status, the same body (but for the request id), the same headers
 * (all compared exactly), and every answer of either kind takes at least the stack's
 * {@code UniformResponseMillis} (a lower bound, which load cannot break). How exactly the padding tops
 * each answer up to the floor is {@code layers/identity} {@code UniformTimingTest}'s, on an injected clock;
 * the medians of the two kinds are printed here for a reader, not asserted (on a loaded machine they are
 * noise). The benchmark measures latency.
 */
class UniformAnswersIT {
    /** Requests of each kind per route; the two kinds alternate so that drift hits both alike. */
    private static final int ROUNDS = 5;
    /** Fewer than the 5 wrong passwords after which Cognito locks an existing account out. */
    private static final int WRONG_PASSWORDS_PER_ACCOUNT = 4;
    /** Headers that differ on every answer by design. */
    private static final Set<String> PER_REQUEST_HEADERS = Set.of("x-amzn-requestid", "x-request-id", "date");

    private static final ApiClient API = Target.get().api();
    private static long floorMillis;
    private static TestUser existing;
    private static TestUser unconfirmed;

    @BeforeAll
    static void users() {
        floorMillis = Target.get().numericSetting("UniformResponseMillis");
        existing = TestUsers.confirmed("b12-known");
    }

    /** An account that signed up and never confirmed (sign-up e-mails a code: local stacks only). */
    private static synchronized TestUser unconfirmed() {
        if (unconfirmed == null) {
            unconfirmed = TestUsers.signedUp("b12-unconfirmed");
        }
        return unconfirmed;
    }

    private record Timed(ApiResponse response, long millis) {
    }

    @Test
    void b12_signUp_ofATakenEmail_answersLikeANewOne() {
        Requires.sendsEmail(); // a new address gets a code
        compare("sign-up", email -> API.post("/auth/sign-up").json(Map.of("email", email, "password", TestUsers.PASSWORD)),
                existing.email(), 202);
    }

    @Test
    void b12_signUp_ofAnUnconfirmedEmail_answersLikeANewOne() {
        Requires.sendsEmail();
        compare("sign-up (unconfirmed)", email -> API.post("/auth/sign-up").json(Map.of("email", email, "password", TestUsers.PASSWORD)),
                unconfirmed().email(), 202);
    }

    @Test
    void b12_resendCode_ofAKnownEmail_answersLikeAnUnknownOne() {
        Requires.sendsEmail();
        compare("resend-code", email -> API.post("/auth/resend-code").json(Map.of("email", email)), unconfirmed().email(), 202);
        compare("resend-code (confirmed)", email -> API.post("/auth/resend-code").json(Map.of("email", email)), existing.email(), 202);
    }

    @Test
    void b12_forgotPassword_ofAKnownEmail_answersLikeAnUnknownOne() {
        Requires.sendsEmail();
        compare("forgot-password", email -> API.post("/auth/forgot-password").json(Map.of("email", email)), existing.email(), 202);
    }

    @Test
    void b12_login_withAWrongPassword_answersLikeAnUnknownAccount() {
        // Cognito locks an existing account out after 5 wrong passwords (then 429), which an unknown
        // address never reaches: each known account here gets fewer than 5, so this compares the
        // wrong-password answers themselves (the lockout's own answer is the API's attempt limit's concern)
        List<String> knownEmails = new ArrayList<>();
        for (int i = 0; i < ROUNDS + 1; i += WRONG_PASSWORDS_PER_ACCOUNT) {
            knownEmails.add(TestUsers.confirmed("b12-known-login").email());
        }
        int[] used = {0};
        compare("login", email -> API.post("/auth/login").json(Map.of("email", email, "password", "Wrong-Passw0rd-" + email.length())),
                () -> knownEmails.get(used[0]++ / WRONG_PASSWORDS_PER_ACCOUNT), 401);
    }

    private static void compare(String route, Function<String, ApiClient.Request> request, String knownEmail, int status) {
        compare(route, request, () -> knownEmail, status);
    }

    private static void compare(String route, Function<String, ApiClient.Request> request, java.util.function.Supplier<String> knownEmail,
                                int status) {
        List<Timed> known = new ArrayList<>();
        List<Timed> unknown = new ArrayList<>();
        for (int i = 0; i < ROUNDS + 1; i++) {
            Timed k = time(request.apply(knownEmail.get()));
            Timed u = time(request.apply(TestUsers.uniqueEmail("b12-unknown")));
            if (i > 0) { // the first round warms both paths (cold starts, connections)
                known.add(k);
                unknown.add(u);
            }
        }
        ApiResponse first = known.get(0).response();
        assertThat(first.status()).as(route + ": " + first).isEqualTo(status);
        for (Timed t : concat(known, unknown)) {
            assertThat(t.response().status()).as(route + ": " + t.response()).isEqualTo(status);
            assertThat(withoutRequestId(t.response())).as(route + ": the same body either way").isEqualTo(withoutRequestId(first));
            assertThat(headers(t.response())).as(route + ": the same headers either way").isEqualTo(headers(first));
            assertThat(t.millis()).as(route + ": at least the uniform floor").isGreaterThanOrEqualTo(floorMillis);
        }
        long knownMedian = median(known);
        long unknownMedian = median(unknown);
        System.err.printf("[b12] %s: median %d ms for a known e-mail, %d ms for an unknown one (floor %d ms)%n",
                route, knownMedian, unknownMedian, floorMillis);
    }

    private static Timed time(ApiClient.Request request) {
        long started = System.nanoTime();
        ApiResponse response = request.send();
        return new Timed(response, (System.nanoTime() - started) / 1_000_000);
    }

    private static String withoutRequestId(ApiResponse response) {
        if (response.body().isEmpty() || !response.body().startsWith("{")) {
            return response.body();
        }
        ObjectNode json = (ObjectNode) response.json();
        json.remove("requestId");
        return json.toString();
    }

    private static Map<String, String> headers(ApiResponse response) {
        return response.headers().entrySet().stream()
                .filter(e -> e.getKey() != null && !PER_REQUEST_HEADERS.contains(e.getKey().toLowerCase(java.util.Locale.ROOT)))
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(java.util.Locale.ROOT), e -> String.join(",", e.getValue()),
                        (a, b) -> a, TreeMap::new));
    }

    private static long median(List<Timed> timings) {
        List<Long> sorted = timings.stream().map(Timed::millis).sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static List<Timed> concat(List<Timed> a, List<Timed> b) {
        List<Timed> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
