package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.local.faults.FaultProxy;
import dev.userapi.local.faults.FaultProxy.Answer;
import dev.userapi.local.faults.Faults;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.local.testing.FaultStack;
import dev.userapi.local.testing.ForgedTokens;
import dev.userapi.local.testing.TestUser;
import dev.userapi.local.testing.TestUsers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/SECURITY.md item 9 through the whole stack: the authorizer's JWKS endpoint misbehaves (down, reset,
 * answering 500, garbage, no keys, a huge body, slow, hanging). An authorizer that has no keys yet
 * (a cold start) refuses with 401 problem+json — never a 5xx, never Allow — and gives up within its
 * timeouts; an authorizer that has keys keeps verifying tokens with them.
 *
 * <p>Runs on the {@link FaultStack} (the JWKS proxy sits between the authorizer's {@code JWKS_URL} and
 * cognito-local; the issuer is unchanged). "Cold" is made with {@link Faults#recycle}, as when Lambda
 * starts a new execution environment.
 */
class JwksFaultsIT {
    private static final String AUTHORIZER = "AuthorizerFunction";

    private static ApiClient api;
    private static Faults faults;
    private static TestUser user;

    @BeforeAll
    static void stack() {
        api = FaultStack.api();
        faults = FaultStack.faults();
        user = TestUsers.confirmed(api, "jwks");
    }

    @AfterEach
    void heal() {
        faults.healAll();
        faults.recycle(AUTHORIZER);
    }

    /** Each way the JWKS endpoint can fail, by name. */
    private static Map<String, Consumer<FaultProxy>> jwksFaults() {
        Map<String, Consumer<FaultProxy>> modes = new LinkedHashMap<>();
        modes.put("down (connection refused)", FaultProxy::refuse);
        modes.put("resetting connections", FaultProxy::reset);
        modes.put("answering 500", p -> p.answer(Answer.of(500, "text/html", "<h1>oops</h1>".getBytes(StandardCharsets.UTF_8))));
        modes.put("answering garbage", p -> p.answer(Answer.of(200, "application/json", "{\"keys\":[{\"kty\":".getBytes(StandardCharsets.UTF_8))));
        modes.put("answering HTML", p -> p.answer(Answer.of(200, "text/html", "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8))));
        modes.put("answering a JWKS without keys", p -> p.answer(Answer.of(200, "application/json", "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8))));
        modes.put("answering 1 MiB", p -> p.answer(Answer.of(200, "application/json",
                ("{\"keys\":[],\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8))));
        modes.put("slow (2 s, beyond the 1.5 s read timeout)", p -> p.delay(2000));
        modes.put("hanging", FaultProxy::hang);
        return modes;
    }

    @Test
    void a9_coldAuthorizer_withTheJwksDownSlowGarbageOrHuge_refuses401_neverA5xx() {
        // a token that was never allowed: refusals are not cached, so every request reaches the authorizer
        String token = user.login(api).accessToken();
        jwksFaults().forEach((name, fault) -> {
            fault.accept(faults.jwks());
            faults.recycle(AUTHORIZER);
            long fetchesBefore = faults.jwks().connections();
            long started = System.nanoTime();

            ApiResponse response = api.get("/me").bearer(token).origin("http://localhost:3000").send();

            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(response.status()).as("JWKS " + name + ": " + response).isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().path("code").asText()).isEqualTo("Unauthorized");
            if (faults.jwks().mode() != FaultProxy.Mode.REFUSE) { // a refused connection is never accepted, so not counted
                assertThat(faults.jwks().connections()).as("JWKS " + name + ": the authorizer tried to fetch the keys")
                        .isGreaterThan(fetchesBefore);
            }
            // at start-up and for the token: two fetches of at most 2.5 s each
            assertThat(millis).as("JWKS " + name + ": refused within the fetcher's timeouts").isLessThan(6000);
        });

        faults.jwks().pass();
        faults.recycle(AUTHORIZER);
        assertThat(api.get("/me").bearer(token).send().status()).as("keys load again once the JWKS is back").isEqualTo(200);
    }

    @Test
    void a9_warmAuthorizer_keepsVerifyingWithItsCachedKeys_whileTheJwksIsDownSlowGarbageOrHuge() {
        faults.recycle(AUTHORIZER);
        assertThat(api.get("/me").bearer(user.login(api).accessToken()).send().status()).isEqualTo(200);
        long fetches = faults.jwks().connections();

        jwksFaults().forEach((name, fault) -> {
            fault.accept(faults.jwks());
            // a new token each time: the gateway caches allowed tokens, and this must reach the authorizer
            String fresh = user.login(api).accessToken();
            long started = System.nanoTime();
            ApiResponse response = api.get("/me").bearer(fresh).send();
            assertThat(response.status()).as("JWKS " + name + ": " + response).isEqualTo(200);
            assertThat((System.nanoTime() - started) / 1_000_000).as("JWKS " + name + ": no fetch waited for").isLessThan(1400);
        });
        assertThat(faults.jwks().connections()).as("a known kid never causes a fetch").isEqualTo(fetches);
    }

    @Test
    void a9_unknownKid_whileTheJwksIsDown_isRefused_andTheCachedKeysStillWork() {
        faults.recycle(AUTHORIZER);
        assertThat(api.get("/me").bearer(user.login(api).accessToken()).send().status()).isEqualTo(200);
        faults.jwks().refuse();

        long now = System.currentTimeMillis() / 1000;
        String rotated = ForgedTokens.sign("rotated-key", ForgedTokens.accessClaims(FaultStack.get(), "3b1f8c9e-2d4a-4f7b-9c1e-5a6b7c8d9e0f",
                now, now + 600));
        ApiResponse refused = api.get("/me").bearer(rotated).send();
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");

        assertThat(api.get("/me").bearer(user.login(api).accessToken()).send().status())
                .as("a failed refetch leaves the cached keys in place").isEqualTo(200);
    }
}
