package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.user.OAuthState;
import dev.userapi.core.user.OAuthStateRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class OAuthServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private final OAuthStateRepository states = mock(OAuthStateRepository.class);
    private final IdTokenVerifier idTokens = mock(IdTokenVerifier.class);
    private final AuthService auth = mock(AuthService.class);
    private final HttpClient http = mock(HttpClient.class);

    private OAuthService service(Optional<URI> domain) {
        return new OAuthService(new OAuthConfig(domain, URI.create("https://api.example.com/prod/auth/oauth/callback"), "client-1",
                List.of("https://app.example.com", "http://localhost:3000"), Duration.ofMinutes(10)),
                states, idTokens, auth, http, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void start_redirectsToTheAuthorizeEndpointWithPkceStateAndNonce_andStoresOnlyTheCookiesHash() {
        var start = service(Optional.of(URI.create("https://users.auth.eu-west-1.amazoncognito.com"))).start("https://app.example.com/signed-in", null);
        assertThat(start.authorizeUrl()).startsWith("https://users.auth.eu-west-1.amazoncognito.com/oauth2/authorize?response_type=code&client_id=client-1")
                .contains("code_challenge_method=S256").contains("&state=").contains("&nonce=")
                // the /me routes call Cognito's GetUser, ChangePassword...: refused without this scope
                .contains("scope=openid+email+profile+aws.cognito.signin.user.admin")
                .contains("redirect_uri=https%3A%2F%2Fapi.example.com%2Fprod%2Fauth%2Foauth%2Fcallback");
        var stored = ArgumentCaptor.forClass(OAuthState.class);
        verify(states).put(stored.capture());
        assertThat(stored.getValue().redirect()).isEqualTo("https://app.example.com/signed-in");
        assertThat(stored.getValue().bindingHash()).isNotEqualTo(start.bindingCookie()).isEqualTo(OAuthService.sha256(start.bindingCookie()));
        assertThat(stored.getValue().expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(start.authorizeUrl()).doesNotContain(stored.getValue().codeVerifier());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/", "https://app.example.com.evil.example/", "http://app.example.com/",
            "https://user@app.example.com/", "https://app.example.com/#x", "javascript:alert(1)", "/relative", ""})
    void start_refusesRedirectsOutsideTheAllowedOrigins(String redirect) {
        assertThatThrownBy(() -> service(Optional.of(URI.create("https://d.example"))).start(redirect, null))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void withoutADomain_hostedSignInIsNotFound() {
        assertThatThrownBy(() -> service(Optional.empty()).start("https://app.example.com/", null)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void finish_refusesAnUnknownOrUsedState_andAForeignCookie_beforeExchangingAnything() {
        OAuthService service = service(Optional.of(URI.create("https://d.example")));
        when(states.find("used")).thenReturn(Optional.empty());
        assertThatThrownBy(() -> service.finish("code", "used", "cookie", new ClientInfo("ip", "ua")))
                .isInstanceOf(InvalidRequestException.class);
        when(states.find("mine")).thenReturn(Optional.of(new OAuthState("mine", "n", "v", "https://app.example.com/",
                OAuthService.sha256("my-cookie"), "", NOW.plusSeconds(60))));
        assertThatThrownBy(() -> service.finish("code", "mine", "another-browsers-cookie", new ClientInfo("ip", "ua")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("another browser");
        when(states.find("old")).thenReturn(Optional.of(new OAuthState("old", "n", "v", "https://app.example.com/",
                OAuthService.sha256("c"), "", NOW.minusSeconds(1))));
        assertThatThrownBy(() -> service.finish("code", "old", "c", new ClientInfo("ip", "ua")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("expired");
        org.mockito.Mockito.verifyNoInteractions(http, idTokens, auth);
    }

    /**
     * Issue 16 finding 9: the callback spent the state before it checked the cookie, so anyone who saw a
     * callback URL could cancel the owner's sign-in. A foreign or missing cookie now spends nothing.
     */
    @Test
    void s28_finding9_aCallbackWithoutTheOwnersCookie_leavesTheSignInToItsOwner() {
        OAuthService service = service(Optional.of(URI.create("https://d.example")));
        when(states.find("mine")).thenReturn(Optional.of(new OAuthState("mine", "n", "v", "https://app.example.com/",
                OAuthService.sha256("my-cookie"), "", NOW.plusSeconds(60))));
        for (String cookie : new String[] {null, "", "another-browsers-cookie"}) {
            assertThatThrownBy(() -> service.finish("code", "mine", cookie, new ClientInfo("ip", "ua")))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("another browser");
            assertThatThrownBy(() -> service.cancel("mine", cookie))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("another browser");
        }
        verify(states, org.mockito.Mockito.never()).take(org.mockito.ArgumentMatchers.anyString(), org.mockito.ArgumentMatchers.anyString());

        // the owner's browser still finishes it: spent once, conditioned on the binding it checked
        when(states.take("mine", OAuthService.sha256("my-cookie"))).thenReturn(true);
        assertThat(service.cancel("mine", "my-cookie")).isEqualTo("https://app.example.com/#error=access_denied");
        verify(states).take("mine", OAuthService.sha256("my-cookie"));
    }

    @Test
    void finish_whenAConcurrentCallbackTookTheStateFirst_isRefused_beforeExchangingAnything() {
        OAuthService service = service(Optional.of(URI.create("https://d.example")));
        when(states.find("mine")).thenReturn(Optional.of(new OAuthState("mine", "n", "v", "https://app.example.com/",
                OAuthService.sha256("my-cookie"), "", NOW.plusSeconds(60))));
        when(states.take("mine", OAuthService.sha256("my-cookie"))).thenReturn(false);
        assertThatThrownBy(() -> service.finish("code", "mine", "my-cookie", new ClientInfo("ip", "ua")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("finished already");
        org.mockito.Mockito.verifyNoInteractions(http, idTokens, auth);
    }

    /** Issue 16 finding 3 (login CSRF): the client's own state is kept with the sign-in and handed back in the fragment. */
    @Test
    void s28_start_keepsTheClientsState_andTheCancelFragmentReturnsIt() {
        OAuthService service = service(Optional.of(URI.create("https://d.example")));
        String clientState = "c".repeat(22) + "-_x9";
        service.start("https://app.example.com/app/", clientState);
        var stored = ArgumentCaptor.forClass(OAuthState.class);
        verify(states).put(stored.capture());
        assertThat(stored.getValue().clientState()).isEqualTo(clientState);
        assertThat(stored.getValue().state()).isNotEqualTo(clientState);

        when(states.find("s1")).thenReturn(Optional.of(new OAuthState("s1", "n", "v", "https://app.example.com/app/",
                OAuthService.sha256("cookie"), clientState, NOW.plusSeconds(60))));
        when(states.take("s1", OAuthService.sha256("cookie"))).thenReturn(true);
        assertThat(service.cancel("s1", "cookie")).isEqualTo("https://app.example.com/app/#error=access_denied&state=" + clientState);
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "has space in it and is long enough", "aaaaaaaaaaaaaaaaaaaaaaaaa%", "ééééééééééééééééééééééé"})
    void start_refusesAClientStateThatIsNotARandomBase64UrlValue(String clientState) {
        OAuthService service = service(Optional.of(URI.create("https://d.example")));
        assertThatThrownBy(() -> service.start("https://app.example.com/", clientState)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'state'");
        assertThatThrownBy(() -> service.start("https://app.example.com/", "s".repeat(129))).isInstanceOf(InvalidRequestException.class);
        org.mockito.Mockito.verifyNoInteractions(states);
    }

    /** Found by BadInputIT (b15): a 4000-character state reached DynamoDB as a key over its 2 KiB limit and answered 500. */
    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "state with spaces", "line\r\nbreak", "%2e%2e", "é"})
    void b15_finish_refusesAStateItCannotHaveIssued_beforeAskingTheStore(String state) {
        OAuthService service = service(Optional.of(URI.create("https://d.example")));
        for (String bad : List.of(state, "s".repeat(4000), "s".repeat(129))) {
            assertThatThrownBy(() -> service.finish("code", bad, "cookie", new ClientInfo("ip", "ua")))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("unknown");
            assertThatThrownBy(() -> service.cancel(bad, "cookie")).isInstanceOf(InvalidRequestException.class);
        }
        org.mockito.Mockito.verifyNoInteractions(states, http, idTokens, auth);
    }

    /** Found by EveryRouteFuzzTest (input token-endpoint-empty-body): an empty or non-object answer was a NullPointerException, a 500. */
    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "null", "[]", "\"text\"", "42"})
    @SuppressWarnings("unchecked")
    void d25_finish_whenTheTokenEndpointAnswersNoObject_is503(String body) throws Exception {
        OAuthService service = service(Optional.of(URI.create("https://d.example")));
        when(states.find("state")).thenReturn(Optional.of(new OAuthState("state", "n", "v", "https://app.example.com/",
                OAuthService.sha256("cookie"), "", NOW.plusSeconds(60))));
        when(states.take("state", OAuthService.sha256("cookie"))).thenReturn(true);
        java.net.http.HttpResponse<String> response = mock(java.net.http.HttpResponse.class);
        when(response.statusCode()).thenReturn(200);
        when(response.body()).thenReturn(body);
        when(http.send(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.<java.net.http.HttpResponse.BodyHandler<String>>any()))
                .thenReturn(response);
        assertThatThrownBy(() -> service.finish("code", "state", "cookie", new ClientInfo("ip", "ua")))
                .isInstanceOf(dev.userapi.core.problem.ServiceUnavailableException.class);
        org.mockito.Mockito.verifyNoInteractions(idTokens, auth);
    }

    @Test
    @SuppressWarnings("unchecked")
    void b31_theCodeExchange_authenticatesAsAConfidentialClient_withHttpBasic() throws Exception {
        OAuthService service = new OAuthService(new OAuthConfig(Optional.of(URI.create("https://d.example")),
                URI.create("https://api.example.com/prod/auth/oauth/callback"), "client-1",
                List.of("https://app.example.com"), Duration.ofMinutes(10)),
                states, idTokens, auth, http, Clock.fixed(NOW, ZoneOffset.UTC), () -> Optional.of("the-secret"));
        when(states.find("state")).thenReturn(Optional.of(new OAuthState("state", "n", "v", "https://app.example.com/",
                OAuthService.sha256("cookie"), "", NOW.plusSeconds(60))));
        when(states.take("state", OAuthService.sha256("cookie"))).thenReturn(true);
        java.net.http.HttpResponse<String> response = mock(java.net.http.HttpResponse.class);
        when(response.statusCode()).thenReturn(400);
        when(response.body()).thenReturn("{\"error\":\"invalid_client\"}");
        var sent = ArgumentCaptor.forClass(java.net.http.HttpRequest.class);
        when(http.send(sent.capture(), org.mockito.ArgumentMatchers.<java.net.http.HttpResponse.BodyHandler<String>>any()))
                .thenReturn(response);

        assertThatThrownBy(() -> service.finish("code", "state", "cookie", new ClientInfo("ip", "ua")))
                .isInstanceOf(dev.userapi.core.problem.UnauthorizedException.class);
        assertThat(sent.getValue().headers().firstValue("Authorization")).contains("Basic "
                + java.util.Base64.getEncoder().encodeToString("client-1:the-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
