package dev.userapi.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.problem.UnauthorizedException;
import dev.userapi.core.user.OAuthState;
import dev.userapi.core.user.OAuthStateRepository;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sign-in through the user pool's hosted UI (and the identity providers behind it): OAuth 2.0
 * authorization code with PKCE (S256), {@code state} and {@code nonce}.
 *
 * <p>{@link #start} keeps the sign-in's secrets (state, nonce, PKCE verifier, where to return) in
 * DynamoDB for ten minutes and binds them to the browser: the browser gets a random value in a
 * {@code __Host-} HttpOnly cookie and only its SHA-256 is stored. {@link #finish} checks the cookie
 * first and only then takes the state, once (a replay finds nothing, and a callback URL seen by
 * someone else cannot spend the owner's sign-in), exchanges the code with the verifier, verifies
 * the ID token (signature, issuer, audience, expiry, nonce), then completes the sign-in as the
 * password login does (status, profile, session) and returns the client URL carrying the tokens in
 * its fragment, with the client's own {@code state} when it gave one (SECURITY.md 28: the client
 * takes tokens only for a sign-in it started). Only origins in {@code AllowedOrigins} are ever
 * redirected to.
 */
public final class OAuthService {
    public static final String BINDING_COOKIE = "__Host-oauth_binding";
    private static final Log LOG = Log.of(OAuthService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What a state could look like: base64url, bounded (DynamoDB keys are at most 2 KiB). */
    private static final java.util.regex.Pattern ISSUABLE_STATE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** The client's own state: base64url, at least 128 bits' worth, bounded. */
    private static final java.util.regex.Pattern CLIENT_STATE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{22,128}");

    private final OAuthConfig config;
    private final OAuthStateRepository states;
    private final IdTokenVerifier idTokens;
    private final AuthService auth;
    private final HttpClient http;
    private final Clock clock;
    private final java.util.function.Supplier<java.util.Optional<String>> clientSecret;

    public OAuthService(OAuthConfig config, OAuthStateRepository states, IdTokenVerifier idTokens, AuthService auth,
                        HttpClient http, Clock clock) {
        this(config, states, idTokens, auth, http, clock, java.util.Optional::empty);
    }

    /**
     * @param clientSecret the app client's secret (read from Cognito on first use, never from the
     *                     environment): the code exchange authenticates as a confidential client
     *                     ({@code Authorization: Basic}) when there is one
     */
    public OAuthService(OAuthConfig config, OAuthStateRepository states, IdTokenVerifier idTokens, AuthService auth,
                        HttpClient http, Clock clock, java.util.function.Supplier<java.util.Optional<String>> clientSecret) {
        this.clientSecret = clientSecret;
        this.config = config;
        this.states = states;
        this.idTokens = idTokens;
        this.auth = auth;
        this.http = http;
        this.clock = clock;
    }

    /** What {@code GET /auth/oauth/login} answers: where to send the browser, and the cookie to set. */
    public record Start(String authorizeUrl, String bindingCookie) {
    }

    /**
     * Starts a sign-in: stores its secrets and the client's state, and answers where to send the browser.
     *
     * @param redirect    the client URL to return to (an allowed origin)
     * @param clientState the client's own random value ({@code state} of {@code GET /auth/oauth/login}), returned
     *                    unchanged in the fragment; null or empty for none
     */
    public Start start(String redirect, String clientState) {
        URI domain = config.domain().orElseThrow(() -> new NotFoundException("Hosted sign-in is not configured for this API."));
        String target = checkRedirect(redirect);
        String echoed = clientState == null ? "" : clientState;
        if (!echoed.isEmpty() && !CLIENT_STATE.matcher(echoed).matches()) {
            throw new InvalidRequestException("Query parameter 'state' must be 22 to 128 base64url characters (a random value the client keeps).");
        }
        String state = random(32);
        String nonce = random(32);
        String verifier = random(48);
        String binding = random(32);
        states.put(new OAuthState(state, nonce, verifier, target, sha256(binding), echoed,
                clock.instant().plus(config.stateLifetime())));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", config.clientId());
        query.put("redirect_uri", config.callbackUrl().toString());
        // aws.cognito.signin.user.admin: Cognito refuses GetUser, ChangePassword... with an access token without it (the /me routes)
        query.put("scope", "openid email profile aws.cognito.signin.user.admin");
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", base64Url(digest(verifier)));
        query.put("code_challenge_method", "S256");
        return new Start(domain.resolve("/oauth2/authorize") + "?" + form(query), binding);
    }

    /** Finishes a sign-in; returns the client URL to redirect to, with the tokens in its fragment. */
    public String finish(String code, String state, String bindingCookie, ClientInfo client) {
        URI domain = config.domain().orElseThrow(() -> new NotFoundException("Hosted sign-in is not configured for this API."));
        OAuthState started = take(state, bindingCookie);
        JsonNode tokens = exchange(domain, code, started.codeVerifier());
        String idToken = tokens.path("id_token").asText("");
        IdTokenVerifier.IdTokenClaims claims = idTokens.verify(idToken, started.nonce());
        AuthTokens issued = new AuthTokens(tokens.path("access_token").asText(""), idToken,
                tokens.path("refresh_token").asText(""), tokens.path("expires_in").asInt(3600));
        if (issued.accessToken().isEmpty() || issued.refreshToken().isEmpty()) {
            throw new ServiceUnavailableException("The identity provider returned no tokens.");
        }
        String email = dev.userapi.core.http.Emails.normalize(claims.email()).orElseThrow(() ->
                new UnauthorizedException("The identity provider did not share an e-mail address; it is needed for an account."));
        auth.completeHostedSignIn(issued, email, claims.name(), client);
        Map<String, String> fragment = new LinkedHashMap<>();
        fragment.put("access_token", issued.accessToken());
        fragment.put("id_token", issued.idToken());
        fragment.put("refresh_token", issued.refreshToken());
        fragment.put("expires_in", Integer.toString(issued.expiresIn()));
        fragment.put("token_type", "Bearer");
        withClientState(fragment, started);
        return started.redirect() + "#" + form(fragment);
    }

    /**
     * The user cancelled at the hosted UI, or a provider refused: ends the sign-in and returns the
     * client URL with {@code #error=access_denied} (only for the browser that started it).
     */
    public String cancel(String state, String bindingCookie) {
        OAuthState started = take(state, bindingCookie);
        Map<String, String> fragment = new LinkedHashMap<>();
        fragment.put("error", "access_denied");
        withClientState(fragment, started);
        return started.redirect() + "#" + form(fragment);
    }

    private static void withClientState(Map<String, String> fragment, OAuthState started) {
        if (!started.clientState().isEmpty()) {
            fragment.put("state", started.clientState());
        }
    }

    /**
     * Takes the sign-in once, and only for the browser holding its cookie: the cookie is checked
     * before anything is spent, so a callback URL replayed without it (seen in a log, a history, a
     * shoulder-surf) leaves the owner's sign-in intact. A state this service cannot have issued (its
     * states are 43 base64url characters) is unknown without asking the store: a long one would
     * exceed DynamoDB's key size and fail there.
     */
    private OAuthState take(String state, String bindingCookie) {
        if (state == null || !ISSUABLE_STATE.matcher(state).matches()) {
            throw new InvalidRequestException("The sign-in is unknown, expired or finished already; start again.");
        }
        OAuthState started = states.find(state)
                .orElseThrow(() -> new InvalidRequestException("The sign-in is unknown, expired or finished already; start again."));
        if (bindingCookie == null || !MessageDigest.isEqual(sha256(bindingCookie).getBytes(StandardCharsets.US_ASCII),
                started.bindingHash().getBytes(StandardCharsets.US_ASCII))) {
            throw new InvalidRequestException("The sign-in was started in another browser; start again.");
        }
        if (started.expiresAt().isBefore(clock.instant())) {
            throw new InvalidRequestException("The sign-in has expired; start again.");
        }
        if (!states.take(state, started.bindingHash())) { // a concurrent callback of the same browser took it first
            throw new InvalidRequestException("The sign-in is unknown, expired or finished already; start again.");
        }
        return started;
    }

    private JsonNode exchange(URI domain, String code, String verifier) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("client_id", config.clientId());
        body.put("code", code);
        body.put("redirect_uri", config.callbackUrl().toString());
        body.put("code_verifier", verifier);
        HttpRequest.Builder builder = HttpRequest.newBuilder(domain.resolve("/oauth2/token"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(body)));
        clientSecret.get().ifPresent(secret -> builder.header("Authorization", basic(config.clientId(), secret)));
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ServiceUnavailableException("The user pool's token endpoint is unreachable.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("Interrupted while exchanging the code.");
        }
        if (response.statusCode() >= 500) {
            throw new ServiceUnavailableException("The user pool's token endpoint failed.");
        }
        JsonNode json;
        try {
            json = Json.readTree(response.body());
        } catch (IOException | RuntimeException e) {
            throw new ServiceUnavailableException("The user pool's token endpoint answered something unreadable.");
        }
        if (json == null || !json.isObject()) { // an empty body, or JSON that is not an object
            throw new ServiceUnavailableException("The user pool's token endpoint answered something unreadable.");
        }
        if (response.statusCode() != 200) {
            LOG.info("code exchange refused", "status", response.statusCode(), "error", json.path("error").asText(""));
            throw new UnauthorizedException("The sign-in could not be completed (the code is invalid, used or not yours); start again.");
        }
        return json;
    }

    /** HTTP Basic client authentication of the token endpoint (RFC 6749 section 2.3.1: each part form-encoded). */
    static String basic(String clientId, String secret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** An absolute http(s) URL whose origin is allowed; anything else is refused, never redirected to. */
    String checkRedirect(String redirect) {
        if (redirect == null || redirect.isBlank() || redirect.length() > 2048) {
            throw new InvalidRequestException("Query parameter 'redirect' is required: the client URL to return to.");
        }
        URI uri;
        try {
            uri = new URI(redirect);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidRequestException("Query parameter 'redirect' is not a URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            throw new InvalidRequestException("Query parameter 'redirect' must be an absolute URL of an allowed origin, without a fragment.");
        }
        String origin = scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        if (!config.allowedOrigins().contains(origin)) {
            throw new InvalidRequestException("Query parameter 'redirect' is not in an allowed origin.");
        }
        return uri.toString();
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return base64Url(b);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String value) {
        return base64Url(digest(value));
    }
}
