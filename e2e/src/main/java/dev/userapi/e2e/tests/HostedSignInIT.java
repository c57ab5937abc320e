package dev.userapi.e2e.tests;

import static dev.userapi.e2e.client.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.Jwt;
import dev.userapi.e2e.Requires;
import dev.userapi.e2e.Target;
import dev.userapi.e2e.client.TestUser;
import dev.userapi.e2e.client.TestUsers;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The hosted-UI sign-in over HTTP, as a browser does it: the API's login redirect, cognito-local's
 * login form posted with a test user's credentials, the API's callback, and tokens that pass the
 * authorizer. Tampered state, a replayed callback, a code from another sign-in (wrong PKCE verifier),
 * a missing binding cookie and a foreign redirect target are refused.
 */
class HostedSignInIT {
    private static final String APP = Target.get().origin() + "/app/";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final ApiClient api = Target.get().api();

    /** One browser's sign-in in progress: its binding cookie and the hosted UI URL it was sent to. */
    private record Started(String cookie, URI authorize) {
        String state() {
            return query(authorize).get("state");
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static HttpResponse<String> get(URI uri, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Started start(String redirect) throws Exception {
        HttpResponse<String> response = get(URI.create(api.baseUrl() + "/auth/oauth/login?redirect="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8)), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("__Host-oauth_binding=").contains("HttpOnly").contains("Secure").contains("SameSite=Lax")
                .contains("Path=/");
        URI authorize = URI.create(response.headers().firstValue("Location").orElseThrow());
        Map<String, String> params = query(authorize);
        assertThat(params).containsEntry("response_type", "code").containsEntry("code_challenge_method", "S256")
                .containsKeys("state", "nonce", "code_challenge", "client_id", "redirect_uri");
        assertThat(params.get("scope")).contains("openid").contains("email").contains("profile");
        return new Started(setCookie.substring(0, setCookie.indexOf(';')), authorize);
    }

    /** Loads the hosted UI's form and posts it with the user's credentials: the callback URL with code and state. */
    private static URI signInAtHostedUi(Started started, TestUser user) throws Exception {
        HttpResponse<String> form = get(started.authorize(), null);
        assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(form.body());
        while (hidden.find()) {
            fields.put(hidden.group(1), hidden.group(2).replace("&amp;", "&"));
        }
        fields.put("username", user.email());
        fields.put("password", user.password());
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(started.authorize().resolve("/oauth2/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        return URI.create(posted.headers().firstValue("Location").orElseThrow());
    }

    private static URI withState(URI callback, String state) {
        Map<String, String> params = query(callback);
        params.put("state", state);
        String raw = params.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return URI.create(callback.toString().substring(0, callback.toString().indexOf('?')) + "?" + raw);
    }

    @Test
    void hostedSignIn_endToEnd_tokensPassTheAuthorizer_andTheCallbackCannotBeReplayed() throws Exception {
        Requires.localGateway("signs in at cognito-local's hosted UI form");
        TestUser user = TestUsers.confirmed("hosted");
        Started started = start(APP);
        URI callback = signInAtHostedUi(started, user);
        assertThat(callback.toString()).startsWith(api.baseUrl() + "/auth/oauth/callback?");

        HttpResponse<String> finished = get(callback, started.cookie());
        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(302);
        URI back = URI.create(finished.headers().firstValue("Location").orElseThrow());
        assertThat(back.toString()).startsWith(APP + "#");
        assertThat(finished.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        Map<String, String> fragment = new LinkedHashMap<>();
        for (String pair : back.getRawFragment().split("&")) {
            int eq = pair.indexOf('=');
            fragment.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        assertThat(fragment).containsKeys("access_token", "id_token", "refresh_token", "expires_in").containsEntry("token_type", "Bearer");
        assertThat(Jwt.claims(fragment.get("id_token")).path("nonce").asText()).isEqualTo(query(started.authorize()).get("nonce"));

        ApiResponse me = api.get("/me").bearer(fragment.get("access_token")).send();
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().path("email").asText()).isEqualTo(user.email());
        ApiResponse refreshed = api.post("/auth/refresh").json(Map.of("refreshToken", fragment.get("refresh_token"))).send();
        assertThat(refreshed.status()).as("the hosted sign-in registered a session: " + refreshed).isEqualTo(200);

        HttpResponse<String> replay = get(callback, started.cookie());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(400);
        assertThat(replay.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void tamperedState_isRefused() throws Exception {
        Requires.localGateway("signs in at cognito-local's hosted UI form");
        TestUser user = TestUsers.confirmed("hosted-tamper");
        Started started = start(APP);
        URI callback = signInAtHostedUi(started, user);
        HttpResponse<String> tampered = get(withState(callback, started.state() + "x"), started.cookie());
        assertThat(tampered.statusCode()).as(tampered.body()).isEqualTo(400);
    }

    @Test
    void aCodeFromAnotherSignIn_failsThePkceCheck() throws Exception {
        Requires.localGateway("signs in at cognito-local's hosted UI form");
        TestUser user = TestUsers.confirmed("hosted-pkce");
        Started mine = start(APP);
        Started theirs = start(APP);
        URI theirCallback = signInAtHostedUi(theirs, user);
        // their code, my state and cookie: the code is exchanged with my verifier, which does not match
        HttpResponse<String> injected = get(withState(theirCallback, mine.state()), mine.cookie());
        assertThat(injected.statusCode()).as(injected.body()).isEqualTo(401);
        assertThat(injected.body()).contains("\"code\":\"Unauthorized\"");
    }

    @Test
    void aCallbackWithoutTheStartingBrowsersCookie_isRefused() throws Exception {
        Requires.localGateway("signs in at cognito-local's hosted UI form");
        TestUser user = TestUsers.confirmed("hosted-cookie");
        Started started = start(APP);
        Started otherBrowser = start(APP);
        URI callback = signInAtHostedUi(started, user);
        assertThat(get(callback, null).statusCode()).isEqualTo(400);
        Started again = start(APP);
        URI second = signInAtHostedUi(again, user);
        assertThat(get(second, otherBrowser.cookie()).statusCode()).isEqualTo(400);
    }

    @Test
    void redirectsOutsideTheAllowedOrigins_areRefused() throws Exception {
        Requires.hostedSignIn();
        for (String target : new String[] {"https://evil.example/", Target.get().origin() + ".evil.example/", "javascript:alert(1)",
                "//evil.example/", Target.get().origin().replace("://", "://user@") + "/", APP + "#fragment"}) {
            HttpResponse<String> response = get(URI.create(api.baseUrl() + "/auth/oauth/login?redirect="
                    + URLEncoder.encode(target, StandardCharsets.UTF_8)), null);
            assertThat(response.statusCode()).as(target + ": " + response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).isEmpty();
        }
        assertProblem(api.get("/auth/oauth/login").send(), 400, "InvalidRequest");
    }

    @Test
    void cancellingAtTheHostedUi_returnsToTheClientWithAnError() throws Exception {
        Requires.hostedSignIn();
        Started started = start(APP);
        URI cancelled = URI.create(api.baseUrl() + "/auth/oauth/callback?error=access_denied&state="
                + URLEncoder.encode(started.state(), StandardCharsets.UTF_8));
        HttpResponse<String> response = get(cancelled, started.cookie());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).isEqualTo(APP + "#error=access_denied");
    }
}
