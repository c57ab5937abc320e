package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 findings 3 and 9 (SECURITY.md 28), over HTTP as a browser and an attacker would do it.
 * Finding 9: the callback spent the sign-in before it checked the browser's binding cookie, so anyone
 * who saw a callback URL (a log, a history, a shared screen) could cancel the owner's sign-in; the
 * owner's browser then got 400. Finding 3 (the API's half): the client's own {@code state} comes back
 * unchanged in the fragment, so the client can refuse tokens it did not ask for (the browser test
 * {@code web/test/browser} shows the client refusing them).
 */
class LoginCsrfIT {
    private static final String APP = "http://localhost:3000/app/";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ApiClient api = Target.get().api();
    /** For absolute URLs (the hosted UI is on the Cognito layer's origin). */
    private final ApiClient web = new ApiClient("");

    private record Started(String cookie, URI authorize) {
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : (raw == null ? "" : raw).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static String encode(Map<String, String> values) {
        return values.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static String clientState() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private Started start(String clientState) {
        String query = "redirect=" + URLEncoder.encode(APP, StandardCharsets.UTF_8)
                + (clientState == null ? "" : "&state=" + clientState);
        ApiResponse response = api.get("/auth/oauth/login?" + query).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(302);
        String setCookie = response.header("Set-Cookie").orElseThrow();
        return new Started(setCookie.substring(0, setCookie.indexOf(';')), URI.create(response.header("Location").orElseThrow()));
    }

    /** The hosted UI's login form, posted with the user's credentials: the callback URL (code and state). */
    private URI signInAtHostedUi(Started started, TestUser user) {
        ApiResponse page = web.get(started.authorize().toString()).send();
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(page.body());
        while (hidden.find()) {
            fields.put(hidden.group(1), hidden.group(2).replace("&amp;", "&"));
        }
        fields.put("username", user.email());
        fields.put("password", user.password());
        ApiResponse posted = web.post(started.authorize().resolve("/oauth2/authorize").toString())
                .body(encode(fields), "application/x-www-form-urlencoded").send();
        assertThat(posted.status()).as(posted.toString()).isEqualTo(302);
        URI callback = URI.create(posted.header("Location").orElseThrow());
        assertThat(callback.toString()).startsWith(api.baseUrl() + "/auth/oauth/callback?");
        return callback;
    }

    private ApiResponse callback(URI callback, String cookie) {
        ApiClient.Request request = api.get(callback.toString().substring(api.baseUrl().length()));
        return cookie == null ? request.send() : request.header("Cookie", cookie).send();
    }

    @Test
    void s28_finding9_someoneWhoSeesTheCallbackUrl_cannotCancelTheOwnersSignIn() {
        Requires.localGateway("the hosted UI's login form of the local Cognito layer");
        TestUser owner = TestUsers.confirmed("csrf-owner");
        Started ownersBrowser = start(null);
        Started attackersBrowser = start(null);
        URI callback = signInAtHostedUi(ownersBrowser, owner);

        // the attacker replays the owner's callback URL: without a cookie, and with their own browser's cookie
        assertProblem(callback(callback, null), 400, "InvalidRequest");
        assertProblem(callback(callback, attackersBrowser.cookie()), 400, "InvalidRequest");
        URI cancel = URI.create(callback.toString().replaceFirst("code=[^&]*", "error=access_denied"));
        assertProblem(callback(cancel, attackersBrowser.cookie()), 400, "InvalidRequest");

        // the owner's browser still finishes its sign-in
        ApiResponse finished = callback(callback, ownersBrowser.cookie());
        assertThat(finished.status()).as(finished.toString()).isEqualTo(302);
        Map<String, String> fragment = form(URI.create(finished.header("Location").orElseThrow()).getRawFragment());
        assertThat(fragment).containsKeys("access_token", "refresh_token");
        assertThat(api.get("/me").bearer(fragment.get("access_token")).send().json().path("email").asText()).isEqualTo(owner.email());

        // and only once
        assertProblem(callback(callback, ownersBrowser.cookie()), 400, "InvalidRequest");
    }

    @Test
    void s28_finding3_theClientsStateComesBackUnchanged_withTheTokens() {
        Requires.localGateway("the hosted UI's login form of the local Cognito layer");
        TestUser user = TestUsers.confirmed("csrf-state");
        String clientState = clientState();
        Started started = start(clientState);
        assertThat(started.authorize().getRawQuery()).as("the client's state is not the one sent to the hosted UI")
                .doesNotContain(clientState);

        ApiResponse finished = callback(signInAtHostedUi(started, user), started.cookie());
        assertThat(finished.status()).as(finished.toString()).isEqualTo(302);
        URI back = URI.create(finished.header("Location").orElseThrow());
        assertThat(back.toString()).startsWith(APP + "#");
        Map<String, String> fragment = form(back.getRawFragment());
        assertThat(fragment).containsKeys("access_token", "id_token", "refresh_token").containsEntry("state", clientState);
    }

    @Test
    void s28_finding3_aCancelledSignIn_returnsTheClientsStateToo() {
        Requires.localGateway("the hosted UI's login form of the local Cognito layer");
        String clientState = clientState();
        Started started = start(clientState);
        String state = form(started.authorize().getRawQuery()).get("state");
        ApiResponse cancelled = api.get("/auth/oauth/callback?error=access_denied&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8))
                .header("Cookie", started.cookie()).send();
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(302);
        assertThat(cancelled.header("Location").orElseThrow()).isEqualTo(APP + "#error=access_denied&state=" + clientState);
    }

    @Test
    void s28_aClientStateThatIsNotARandomValue_isRefused_beforeAnySignInStarts() {
        Requires.localGateway("the hosted UI's login form of the local Cognito layer");
        for (String bad : new String[] {"short", "a".repeat(129), "has%20spaces%20and%20is%20long%20enough", "%3Cscript%3E" + "a".repeat(22)}) {
            ApiResponse response = api.get("/auth/oauth/login?redirect=" + URLEncoder.encode(APP, StandardCharsets.UTF_8) + "&state=" + bad)
                    .send();
            assertProblem(response, 400, "InvalidRequest");
            assertThat(response.header("Set-Cookie")).as(bad).isEmpty();
        }
    }
}
