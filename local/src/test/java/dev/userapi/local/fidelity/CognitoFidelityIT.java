package dev.userapi.local.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExpiredCodeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.LimitExceededException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;

/**
 * Where the API relies on a Cognito behaviour, the local Cognito layer behaves like Cognito
 * (SECURITY.md 36). Each behaviour is stated once, against Cognito's wire protocol (the SDK) and
 * the hosted UI's HTTP endpoints, with the pool and app client as parameters: only
 * {@link CognitoTarget} knows the pool is local. The sources are listed in docs/LOCAL.md.
 */
class CognitoFidelityIT {
    private static final String PASSWORD = "Fidelity-Passw0rd!";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final CognitoTarget target = CognitoTarget.local();
    private final CognitoIdentityProviderClient cognito = target.cognito();

    // --- helpers -------------------------------------------------------------------------------

    private static String email(String prefix) {
        return "fidelity-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private String confirmedUser(String prefix) {
        String email = email(prefix);
        cognito.signUp(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email).password(PASSWORD)
                .userAttributes(AttributeType.builder().name("email").value(email).build()));
        String code = target.codes().latest(email, "SIGN_UP");
        cognito.confirmSignUp(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email).confirmationCode(code));
        return email;
    }

    /** The app client's secret: the stack's client is confidential (template GenerateSecret), on AWS as locally. */
    private String secret() {
        return cognito.describeUserPoolClient(r -> r.userPoolId(target.poolId()).clientId(target.clientId())).userPoolClient().clientSecret();
    }

    private String hash(String username) {
        try {
            return secretHash(secret(), username, target.clientId());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whose each refresh token is: a refresh's secret hash is over the user's username (the sub), not the e-mail. */
    private final Map<String, String> owners = new java.util.concurrent.ConcurrentHashMap<>();

    private void owned(String accessToken, String refreshToken) {
        if (accessToken != null && refreshToken != null) {
            owners.put(refreshToken, dev.userapi.identity.TokenClaims.of(accessToken).username());
        }
    }

    /** The server-side sign-in the API uses (the app client allows no other). */
    private AdminInitiateAuthResponse signIn(String email, String password) {
        AdminInitiateAuthResponse response = cognito.adminInitiateAuth(r -> r.userPoolId(target.poolId()).clientId(target.clientId())
                .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", password, "SECRET_HASH", hash(email))));
        if (response.authenticationResult() != null) {
            owned(response.authenticationResult().accessToken(), response.authenticationResult().refreshToken());
        }
        return response;
    }

    private AuthenticationResultType refresh(String refreshToken) {
        String owner = owners.getOrDefault(refreshToken, "unknown");
        return cognito.adminInitiateAuth(r -> r.userPoolId(target.poolId()).clientId(target.clientId()).authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(Map.of("REFRESH_TOKEN", refreshToken, "SECRET_HASH", hash(owner)))).authenticationResult();
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String secretHash(String secret, String username, String clientId) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8)));
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** The hosted UI's authorization-code flow with PKCE, asking for {@code scope}: the token endpoint's answer. */
    private JsonNode hostedSignIn(String email, String scope) throws Exception {
        String callback = cognito.describeUserPoolClient(r -> r.userPoolId(target.poolId()).clientId(target.clientId()))
                .userPoolClient().callbackURLs().get(0);
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", target.clientId());
        query.put("redirect_uri", callback);
        query.put("scope", scope);
        query.put("state", UUID.randomUUID().toString());
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(target.hostedUi().resolve("/oauth2/authorize?" + form(query)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(page.body());
        while (hidden.find()) {
            fields.put(hidden.group(1), hidden.group(2).replace("&amp;", "&"));
        }
        fields.put("username", email);
        fields.put("password", PASSWORD);
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(target.hostedUi().resolve("/oauth2/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form(fields)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        String code = null;
        for (String pair : URI.create(posted.headers().firstValue("Location").orElseThrow()).getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                code = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("client_id", target.clientId());
        exchange.put("code", code);
        exchange.put("redirect_uri", callback);
        exchange.put("code_verifier", verifier);
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(target.hostedUi().resolve("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form(exchange)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("a confidential client's code exchange without its secret").isEqualTo(400);
        assertThat(anonymous.body()).contains("invalid_client");
        String basic = "Basic " + Base64.getEncoder().encodeToString((target.clientId() + ":" + secret()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> tokens = HTTP.send(HttpRequest.newBuilder(target.hostedUi().resolve("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
                .POST(HttpRequest.BodyPublishers.ofString(form(exchange)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(tokens.body());
        owned(answer.path("access_token").asText(null), answer.path("refresh_token").asText(null));
        return answer;
    }

    // --- 1. requested OAuth scopes ------------------------------------------------------------

    @Test
    void hostedUi_grantsTheRequestedScopesTheClientAllows_andSelfServiceNeedsTheAdminScope() throws Exception {
        String email = confirmedUser("scopes");

        JsonNode narrow = hostedSignIn(email, "openid email");
        assertThat(claims(narrow.path("access_token").asText()).path("scope").asText().split(" ")).containsExactlyInAnyOrder("openid", "email");
        String narrowToken = narrow.path("access_token").asText();
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(narrowToken))).isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("Access Token does not have required scopes");
        assertThatThrownBy(() -> cognito.changePassword(r -> r.accessToken(narrowToken).previousPassword(PASSWORD)
                .proposedPassword(PASSWORD + "2"))).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> cognito.updateUserAttributes(r -> r.accessToken(narrowToken)
                .userAttributes(AttributeType.builder().name("name").value("x").build()))).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> cognito.associateSoftwareToken(r -> r.accessToken(narrowToken))).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> cognito.setUserMFAPreference(r -> r.accessToken(narrowToken)
                .softwareTokenMfaSettings(s -> s.enabled(false)))).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> cognito.deleteUser(r -> r.accessToken(narrowToken))).isInstanceOf(NotAuthorizedException.class);

        // a scope the client does not allow is not granted; the admin scope is, when asked for
        JsonNode wide = hostedSignIn(email, "openid phone aws.cognito.signin.user.admin");
        assertThat(claims(wide.path("access_token").asText()).path("scope").asText().split(" "))
                .containsExactlyInAnyOrder("openid", "aws.cognito.signin.user.admin");
        assertThat(cognito.getUser(r -> r.accessToken(wide.path("access_token").asText())).userAttributes())
                .anyMatch(a -> a.name().equals("email") && a.value().equals(email));

        // the scopes stay those of the sign-in after a refresh
        AuthenticationResultType refreshed = refresh(narrow.path("refresh_token").asText());
        assertThat(claims(refreshed.accessToken()).path("scope").asText().split(" ")).containsExactlyInAnyOrder("openid", "email");
    }

    // --- 2. auth_time across refresh, 5. origin_jti and RevokeToken ---------------------------

    @Test
    void refresh_keepsTheOriginalAuthTime_andTheSessionsOriginJti() throws Exception {
        String email = confirmedUser("session");
        AuthenticationResultType first = signIn(email, PASSWORD).authenticationResult();
        long authTime = claims(first.accessToken()).path("auth_time").asLong();
        while (Instant.now().getEpochSecond() <= authTime) {
            Thread.sleep(50); // a refresh in a later second than the sign-in, so a reset auth_time would show
        }

        AuthenticationResultType refreshed = refresh(first.refreshToken());

        String origin = claims(first.accessToken()).path("origin_jti").asText();
        assertThat(origin).isNotBlank();
        assertThat(claims(first.idToken()).path("origin_jti").asText()).isEqualTo(origin);
        assertThat(claims(refreshed.accessToken()).path("origin_jti").asText()).isEqualTo(origin);
        assertThat(claims(refreshed.idToken()).path("origin_jti").asText()).isEqualTo(origin);
        assertThat(claims(refreshed.accessToken()).path("jti").asText()).isNotEqualTo(claims(first.accessToken()).path("jti").asText());
        assertThat(claims(refreshed.accessToken()).path("auth_time").asLong()).isEqualTo(authTime);
        assertThat(claims(refreshed.idToken()).path("auth_time").asLong()).isEqualTo(authTime);
        AuthenticationResultType other = signIn(email, PASSWORD).authenticationResult();
        assertThat(claims(other.accessToken()).path("origin_jti").asText()).isNotEqualTo(origin);
    }

    @Test
    void revokeToken_endsTheRefreshToken_andTheAccessTokensOfItsSessionOnly() {
        String email = confirmedUser("revoke");
        AuthenticationResultType first = signIn(email, PASSWORD).authenticationResult();
        AuthenticationResultType refreshed = refresh(first.refreshToken());
        AuthenticationResultType parallel = signIn(email, PASSWORD).authenticationResult();

        cognito.revokeToken(r -> r.clientId(target.clientId()).clientSecret(secret()).token(first.refreshToken()));

        assertThatThrownBy(() -> refresh(first.refreshToken())).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(first.accessToken()))).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(refreshed.accessToken()))).isInstanceOf(NotAuthorizedException.class);
        assertThat(cognito.getUser(r -> r.accessToken(parallel.accessToken())).username()).isNotBlank();
        assertThat(refresh(parallel.refreshToken()).accessToken()).isNotBlank();
    }

    // --- 3. lockout, code limits and lifetimes ------------------------------------------------

    @Test
    void fiveFailedPasswords_lockTheUserOut_forGrowingWindows() {
        String email = confirmedUser("lockout");
        target.time().freeze();
        try {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> signIn(email, "Wrong-Passw0rd!")).isInstanceOf(NotAuthorizedException.class)
                        .hasMessageContaining("Incorrect username or password.");
            }
            assertThatThrownBy(() -> signIn(email, PASSWORD)).as("even the right password, during the lockout")
                    .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("Password attempts exceeded");
            target.time().advance(Duration.ofSeconds(1));
            assertThatThrownBy(() -> signIn(email, "Wrong-Passw0rd!")).hasMessageContaining("Incorrect username or password.");
            target.time().advance(Duration.ofSeconds(1));
            assertThatThrownBy(() -> signIn(email, PASSWORD)).as("the sixth failure locks for 2 s")
                    .hasMessageContaining("Password attempts exceeded");
            target.time().advance(Duration.ofSeconds(1));
            assertThat(signIn(email, PASSWORD).authenticationResult().accessToken()).isNotBlank();
            assertThatThrownBy(() -> signIn(email, "Wrong-Passw0rd!")).as("a success resets the count")
                    .hasMessageContaining("Incorrect username or password.");
            assertThat(signIn(email, PASSWORD).authenticationResult().accessToken()).isNotBlank();
        } finally {
            target.time().release();
        }
    }

    @Test
    void wrongMfaCodes_lockTheUserOutToo() {
        String email = confirmedUser("mfa-lockout");
        String access = signIn(email, PASSWORD).authenticationResult().accessToken();
        String secret = cognito.associateSoftwareToken(r -> r.accessToken(access)).secretCode();
        cognito.verifySoftwareToken(r -> r.accessToken(access).userCode(dev.userapi.e2e.client.Totp.now(secret)));
        cognito.setUserMFAPreference(r -> r.accessToken(access).softwareTokenMfaSettings(s -> s.enabled(true).preferredMfa(true)));
        target.time().freeze();
        try {
            AdminInitiateAuthResponse challenged = signIn(email, PASSWORD);
            assertThat(challenged.challengeName()).isEqualTo(ChallengeNameType.SOFTWARE_TOKEN_MFA);
            // the answer names the actual username the challenge gave (the sub in this pool), never the e-mail
            String username = challenged.challengeParameters().get("USER_ID_FOR_SRP");
            assertThat(username).isNotBlank().isNotEqualTo(email);
            assertThatThrownBy(() -> cognito.adminRespondToAuthChallenge(r -> r.userPoolId(target.poolId()).clientId(target.clientId())
                    .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA).session(challenged.session())
                    .challengeResponses(Map.of("USERNAME", email, "SOFTWARE_TOKEN_MFA_CODE", dev.userapi.e2e.client.Totp.now(secret), "SECRET_HASH", hash(email)))))
                    .as("the e-mail as USERNAME").isInstanceOf(NotAuthorizedException.class);
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> cognito.adminRespondToAuthChallenge(r -> r.userPoolId(target.poolId()).clientId(target.clientId())
                        .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA).session(challenged.session())
                        .challengeResponses(Map.of("USERNAME", username, "SOFTWARE_TOKEN_MFA_CODE", dev.userapi.e2e.client.Totp.wrong(secret), "SECRET_HASH", hash(username)))))
                        .isInstanceOf(CodeMismatchException.class);
            }
            assertThatThrownBy(() -> cognito.adminRespondToAuthChallenge(r -> r.userPoolId(target.poolId()).clientId(target.clientId())
                    .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA).session(challenged.session())
                    .challengeResponses(Map.of("USERNAME", username, "SOFTWARE_TOKEN_MFA_CODE", dev.userapi.e2e.client.Totp.now(secret), "SECRET_HASH", hash(username)))))
                    .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("Password attempts exceeded");
            assertThatThrownBy(() -> signIn(email, PASSWORD)).hasMessageContaining("Password attempts exceeded");
        } finally {
            target.time().release();
        }
    }

    @Test
    void confirmationCodes_allowFiveWrongAttempts_andExpireAfter24Hours() {
        String email = email("confirm-limit");
        cognito.signUp(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email).password(PASSWORD)
                .userAttributes(AttributeType.builder().name("email").value(email).build()));
        String code = target.codes().latest(email, "SIGN_UP");
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> cognito.confirmSignUp(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email).confirmationCode(wrong)))
                    .isInstanceOf(CodeMismatchException.class);
        }
        assertThatThrownBy(() -> cognito.confirmSignUp(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email).confirmationCode(code)))
                .as("the right code after the limit").isInstanceOf(LimitExceededException.class);

        cognito.resendConfirmationCode(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email));
        String fresh = target.codes().latest(email, "RESEND_CODE");
        target.time().advance(Duration.ofHours(24).plusSeconds(1));
        assertThatThrownBy(() -> cognito.confirmSignUp(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email).confirmationCode(fresh)))
                .isInstanceOf(ExpiredCodeException.class);

        cognito.resendConfirmationCode(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email));
        String last = target.codes().latest(email, "RESEND_CODE");
        cognito.confirmSignUp(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email).confirmationCode(last));
        assertThat(signIn(email, PASSWORD).authenticationResult().accessToken()).isNotBlank();
    }

    @Test
    void resetCodes_allowFiveWrongAttempts_andExpireAfterOneHour() {
        String email = confirmedUser("reset-limit");
        cognito.forgotPassword(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email));
        String code = target.codes().latest(email, "FORGOT_PASSWORD");
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> cognito.confirmForgotPassword(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email)
                    .confirmationCode(wrong).password(PASSWORD + "1"))).isInstanceOf(CodeMismatchException.class);
        }
        assertThatThrownBy(() -> cognito.confirmForgotPassword(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email)
                .confirmationCode(code).password(PASSWORD + "1"))).isInstanceOf(LimitExceededException.class);

        cognito.forgotPassword(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email));
        String fresh = target.codes().latest(email, "FORGOT_PASSWORD");
        target.time().advance(Duration.ofHours(1).plusSeconds(1));
        assertThatThrownBy(() -> cognito.confirmForgotPassword(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email)
                .confirmationCode(fresh).password(PASSWORD + "1"))).isInstanceOf(ExpiredCodeException.class);

        cognito.forgotPassword(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email));
        String last = target.codes().latest(email, "FORGOT_PASSWORD");
        cognito.confirmForgotPassword(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email).confirmationCode(last).password(PASSWORD + "1"));
        assertThat(signIn(email, PASSWORD + "1").authenticationResult().accessToken()).isNotBlank();
    }

    // --- 4. client secrets --------------------------------------------------------------------

    @Test
    void aClientWithASecret_requiresTheSecretHash() throws Exception {
        var created = cognito.createUserPoolClient(r -> r.userPoolId(target.poolId()).clientName("fidelity-secret-" + UUID.randomUUID())
                .generateSecret(true).explicitAuthFlowsWithStrings("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")).userPoolClient();
        String clientId = created.clientId();
        try {
            String secret = cognito.describeUserPoolClient(r -> r.userPoolId(target.poolId()).clientId(clientId)).userPoolClient().clientSecret();
            assertThat(secret).isNotBlank();
            String email = email("secret");
            String hash = secretHash(secret, email, clientId);
            String wrongHash = secretHash(secret + "x", email, clientId);
            AttributeType address = AttributeType.builder().name("email").value(email).build();

            assertThatThrownBy(() -> cognito.signUp(r -> r.clientId(clientId).username(email).password(PASSWORD).userAttributes(address)))
                    .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("configured for secret but secret was not received");
            assertThatThrownBy(() -> cognito.signUp(r -> r.clientId(clientId).username(email).password(PASSWORD).userAttributes(address)
                    .secretHash(wrongHash))).isInstanceOf(NotAuthorizedException.class).hasMessageContaining("Unable to verify secret hash");
            cognito.signUp(r -> r.clientId(clientId).username(email).password(PASSWORD).userAttributes(address).secretHash(hash));

            assertThatThrownBy(() -> cognito.resendConfirmationCode(r -> r.clientId(clientId).username(email)))
                    .isInstanceOf(NotAuthorizedException.class);
            cognito.resendConfirmationCode(r -> r.clientId(clientId).username(email).secretHash(hash));
            String code = target.codes().latest(email, "RESEND_CODE");
            assertThatThrownBy(() -> cognito.confirmSignUp(r -> r.clientId(clientId).username(email).confirmationCode(code)))
                    .isInstanceOf(NotAuthorizedException.class);
            cognito.confirmSignUp(r -> r.clientId(clientId).username(email).confirmationCode(code).secretHash(hash));

            assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                    .authParameters(Map.of("USERNAME", email, "PASSWORD", PASSWORD)))).isInstanceOf(NotAuthorizedException.class)
                    .hasMessageContaining("secret");
            assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                    .authParameters(Map.of("USERNAME", email, "PASSWORD", PASSWORD, "SECRET_HASH", wrongHash))))
                    .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("Unable to verify secret hash");
            AuthenticationResultType signedIn = cognito.initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                    .authParameters(Map.of("USERNAME", email, "PASSWORD", PASSWORD, "SECRET_HASH", hash))).authenticationResult();
            assertThat(signedIn.accessToken()).isNotBlank();
            assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                    .authParameters(Map.of("REFRESH_TOKEN", signedIn.refreshToken())))).isInstanceOf(NotAuthorizedException.class);
            assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                    .authParameters(Map.of("REFRESH_TOKEN", signedIn.refreshToken(), "SECRET_HASH", hash))))
                    .as("a refresh's hash is over the username (the sub), not the e-mail")
                    .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("Unable to verify secret hash");
            String bySub = secretHash(secret, claims(signedIn.accessToken()).path("username").asText(), clientId);
            assertThat(cognito.initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                    .authParameters(Map.of("REFRESH_TOKEN", signedIn.refreshToken(), "SECRET_HASH", bySub))).authenticationResult()
                    .accessToken()).isNotBlank();

            assertThatThrownBy(() -> cognito.forgotPassword(r -> r.clientId(clientId).username(email))).isInstanceOf(NotAuthorizedException.class);
            cognito.forgotPassword(r -> r.clientId(clientId).username(email).secretHash(hash));
            String reset = target.codes().latest(email, "FORGOT_PASSWORD");
            assertThatThrownBy(() -> cognito.confirmForgotPassword(r -> r.clientId(clientId).username(email).confirmationCode(reset)
                    .password(PASSWORD + "1"))).isInstanceOf(NotAuthorizedException.class);
            cognito.confirmForgotPassword(r -> r.clientId(clientId).username(email).confirmationCode(reset).password(PASSWORD + "1")
                    .secretHash(hash));

            assertThatThrownBy(() -> cognito.respondToAuthChallenge(r -> r.clientId(clientId).challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA)
                    .session("any").challengeResponses(Map.of("USERNAME", email, "SOFTWARE_TOKEN_MFA_CODE", "123456"))))
                    .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("configured for secret but secret was not received");
        } finally {
            cognito.deleteUserPoolClient(r -> r.userPoolId(target.poolId()).clientId(clientId));
        }
    }

    // --- 6. disabled users ----------------------------------------------------------------------

    @Test
    void aDisabledUser_cannotResetThePassword_norRefresh() {
        String email = confirmedUser("disabled");
        AuthenticationResultType signedIn = signIn(email, PASSWORD).authenticationResult();
        cognito.forgotPassword(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email));
        String code = target.codes().latest(email, "FORGOT_PASSWORD");

        cognito.adminDisableUser(r -> r.userPoolId(target.poolId()).username(email));

        assertThatThrownBy(() -> cognito.forgotPassword(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email)))
                .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("User is disabled");
        assertThatThrownBy(() -> cognito.confirmForgotPassword(r -> r.clientId(target.clientId()).secretHash(hash(email)).username(email).confirmationCode(code)
                .password(PASSWORD + "1"))).isInstanceOf(NotAuthorizedException.class).hasMessageContaining("User is disabled");
        assertThatThrownBy(() -> refresh(signedIn.refreshToken())).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> signIn(email, PASSWORD)).isInstanceOf(NotAuthorizedException.class).hasMessageContaining("User is disabled");
    }
}
