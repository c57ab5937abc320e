package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.identity.SecretHash;
import dev.userapi.local.DevStack;
import dev.userapi.local.testing.ForgedTokens;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.local.testing.TestStack;
import dev.userapi.local.testing.TestUser;
import dev.userapi.local.testing.TestUsers;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DeliveryMediumType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordResetRequiredException;

/**
 * The Cognito compatibility layer, called with the AWS SDK exactly as the functions call it
 * ({@code COGNITO_ENDPOINT}): the operations cognito-local lacks work, and its answers differ from
 * AWS's in none of the ways docs/LOCAL.md lists.
 */
class CognitoCompatIT {
    private static CognitoIdentityProviderClient cognito;
    private static String poolId;
    private static String clientId;
    /** The stack's app client has a secret (template GenerateSecret), as on AWS: every flow carries it. */
    private static String secret;

    private final OutboxClient outbox = TestStack.outbox();

    @BeforeAll
    static void client() {
        DevStack stack = TestStack.get();
        poolId = stack.userPoolId();
        clientId = stack.userPoolClientId();
        cognito = CognitoIdentityProviderClient.builder()
                .endpointOverride(URI.create(stack.cognitoCompatEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        secret = cognito.describeUserPoolClient(r -> r.userPoolId(poolId).clientId(clientId)).userPoolClient().clientSecret();
    }

    private static String hash(String username) {
        return SecretHash.of(secret, username, clientId);
    }

    @AfterAll
    static void close() {
        cognito.close();
    }

    @Test
    void initiateAuth_withWrongPassword_isNotAuthorized() {
        TestUser user = TestUsers.confirmed("compat-wrongpw");

        assertThatThrownBy(() -> login(user.email(), "Wr0ng-Password-123!"))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Incorrect username or password.");
    }

    @Test
    void disabledUser_cannotSignIn_untilEnabled() {
        TestUser user = TestUsers.confirmed("compat-disabled");

        cognito.adminDisableUser(r -> r.userPoolId(poolId).username(user.email()));
        assertThatThrownBy(() -> login(user.email(), user.password()))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("User is disabled.");

        cognito.adminEnableUser(r -> r.userPoolId(poolId).username(user.email()));
        assertThat(login(user.email(), user.password()).accessToken()).isNotBlank();
    }

    @Test
    void globalSignOut_revokesEveryRefreshTokenAndAccessToken() {
        TestUser user = TestUsers.confirmed("compat-signout");
        AuthenticationResultType first = login(user.email(), user.password());
        AuthenticationResultType second = login(user.email(), user.password());

        cognito.globalSignOut(r -> r.accessToken(first.accessToken()));

        assertThatThrownBy(() -> refresh(first)).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> refresh(second)).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(second.accessToken())))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Access Token has been revoked");
        assertThat(login(user.email(), user.password()).accessToken()).as("signing in again works").isNotBlank();
    }

    @Test
    void adminUserGlobalSignOut_revokesTheUsersRefreshTokens() {
        TestUser user = TestUsers.confirmed("compat-adminsignout");
        AuthenticationResultType session = login(user.email(), user.password());

        cognito.adminUserGlobalSignOut(r -> r.userPoolId(poolId).username(user.email()));

        assertThatThrownBy(() -> refresh(session)).isInstanceOf(NotAuthorizedException.class);
    }

    @Test
    void revokeToken_endsTheAccessTokensIssuedWithIt() {
        TestUser user = TestUsers.confirmed("compat-revoke");
        AuthenticationResultType session = login(user.email(), user.password());

        cognito.revokeToken(r -> r.clientId(clientId).clientSecret(secret).token(session.refreshToken()));

        assertThatThrownBy(() -> refresh(session)).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(session.accessToken())))
                .isInstanceOf(NotAuthorizedException.class);
    }

    @Test
    void adminResetUserPassword_requiresAResetWithTheCodeFromTheOutbox() {
        TestUser user = TestUsers.confirmed("compat-adminreset");
        String newPassword = "Fresh-Passw0rd-After-Reset!";

        cognito.adminResetUserPassword(r -> r.userPoolId(poolId).username(user.email()));

        assertThat(cognito.adminGetUser(r -> r.userPoolId(poolId).username(user.email())).userStatusAsString())
                .isEqualTo("RESET_REQUIRED");
        assertThatThrownBy(() -> login(user.email(), user.password())).isInstanceOf(PasswordResetRequiredException.class);
        String code = outbox.latestCode(user.email(), "ADMIN_RESET_PASSWORD");
        cognito.confirmForgotPassword(r -> r.clientId(clientId).secretHash(hash(user.email())).username(user.email()).confirmationCode(code).password(newPassword));
        assertThat(login(user.email(), newPassword).accessToken()).isNotBlank();
    }

    @Test
    void resendConfirmationCode_forAConfirmedUser_isRefused() {
        TestUser user = TestUsers.confirmed("compat-resend-confirmed");

        assertThatThrownBy(() -> cognito.resendConfirmationCode(r -> r.clientId(clientId).secretHash(hash(user.email())).username(user.email())))
                .isInstanceOf(CognitoIdentityProviderException.class)
                .hasMessageStartingWith("User is already confirmed.");
    }

    @Test
    void signUp_enforcesThePoolsPasswordPolicy() {
        String weak = TestUsers.uniqueEmail("compat-weak");
        assertThatThrownBy(() -> cognito.signUp(r -> r.clientId(clientId).secretHash(hash(weak)).username(weak)
                .password("Short1!")))
                .isInstanceOf(InvalidPasswordException.class)
                .hasMessageContaining("Password not long enough");
    }

    @Test
    void adminCreateUser_deliversAPolicyCompliantTemporaryPassword_thatAsksForANewOne() {
        String email = TestUsers.uniqueEmail("compat-created");

        cognito.adminCreateUser(r -> r.userPoolId(poolId).username(email).desiredDeliveryMediums(DeliveryMediumType.EMAIL)
                .userAttributes(AttributeType.builder().name("email").value(email).build()));

        String temporary = outbox.latestCode(email, "TEMPORARY_PASSWORD");
        assertThat(temporary).hasSizeGreaterThanOrEqualTo(12).matches(".*[a-z].*").matches(".*[A-Z].*").matches(".*[0-9].*");
        var challenge = cognito.adminInitiateAuth(r -> r.userPoolId(poolId).clientId(clientId).authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", temporary, "SECRET_HASH", hash(email))));
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.NEW_PASSWORD_REQUIRED);
    }

    @Test
    void changePassword_withWrongCurrentPassword_isNotAuthorized() {
        TestUser user = TestUsers.confirmed("compat-changepw");
        String accessToken = login(user.email(), user.password()).accessToken();

        assertThatThrownBy(() -> cognito.changePassword(r -> r.accessToken(accessToken).previousPassword("Wr0ng-Password-123!")
                .proposedPassword("An0ther-Good-Passw0rd!")))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Incorrect username or password.");
    }

    @Test
    void confirmSignUp_ofAConfirmedAccount_isNotAuthorized() {
        TestUser user = TestUsers.confirmed("compat-reconfirm");

        assertThatThrownBy(() -> cognito.confirmSignUp(r -> r.clientId(clientId).secretHash(hash(user.email())).username(user.email()).confirmationCode("123456")))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("Current status is CONFIRMED");
    }

    @Test
    void confirmSignUp_marksTheEmailVerified_asCognitoDoesForAnAutoVerifiedAttribute() {
        TestUser user = TestUsers.confirmed("compat-verified");

        var attributes = cognito.adminGetUser(r -> r.userPoolId(poolId).username(user.email())).userAttributes();

        assertThat(attributes).anySatisfy(a -> {
            assertThat(a.name()).isEqualTo("email_verified");
            assertThat(a.value()).isEqualTo("true");
        });
    }

    @Test
    void forgotPassword_ofAnUnconfirmedAccount_isRefused() {
        TestUser user = TestUsers.signedUp("compat-forgot-unconfirmed");

        assertThatThrownBy(() -> cognito.forgotPassword(r -> r.clientId(clientId).secretHash(hash(user.email())).username(user.email())))
                .isInstanceOf(CognitoIdentityProviderException.class)
                .hasMessageContaining("no registered/verified email");
    }

    @Test
    void disabledUser_cannotRefresh() {
        TestUser user = TestUsers.confirmed("compat-disabled-refresh");
        AuthenticationResultType session = login(user.email(), user.password());

        cognito.adminDisableUser(r -> r.userPoolId(poolId).username(user.email()));

        assertThatThrownBy(() -> refresh(session)).isInstanceOf(NotAuthorizedException.class);
        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(session.accessToken()))).isInstanceOf(NotAuthorizedException.class);
    }

    @Test
    void getUser_withATokenNotSignedByThePool_isNotAuthorized() {
        long now = Instant.now().getEpochSecond();
        String forged = ForgedTokens.sign("CognitoLocal", ForgedTokens.accessClaims("someone", now, now + 600));

        assertThatThrownBy(() -> cognito.getUser(r -> r.accessToken(forged)))
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageStartingWith("Invalid Access Token");
    }

    @Test
    void operationCognitoLocalLacks_failsAtOnceWithoutRetries() {
        TestUser user = TestUsers.confirmed("compat-unsupported");
        long started = System.nanoTime();

        assertThatThrownBy(() -> cognito.adminSetUserMFAPreference(r -> r.userPoolId(poolId).username(user.email())
                .softwareTokenMfaSettings(s -> s.enabled(false))))
                .isInstanceOf(CognitoIdentityProviderException.class)
                .hasMessageContaining("does not implement AdminSetUserMFAPreference");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    /** docs/SECURITY.md items 31 and 36: the layer checks the client's secret and flows as Cognito does (cognito-local checks neither). */
    @Test
    void b31_theAppClient_refusesEveryFlowWithoutItsSecret_andEveryFlowItDoesNotAllow() {
        TestUser user = TestUsers.confirmed("compat-secret");
        String email = TestUsers.uniqueEmail("compat-nosecret");
        assertThatThrownBy(() -> cognito.signUp(r -> r.clientId(clientId).username(email).password(TestUsers.PASSWORD)))
                .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("is configured for secret but secret was not received");
        assertThatThrownBy(() -> cognito.signUp(r -> r.clientId(clientId).secretHash(hash("someone-else@example.com")).username(email)
                .password(TestUsers.PASSWORD)))
                .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("Unable to verify secret hash for client");
        assertThatThrownBy(() -> cognito.forgotPassword(r -> r.clientId(clientId).username(user.email())))
                .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("secret was not received");
        // the client-side flow is not allowed, even with the right secret hash
        assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", user.email(), "PASSWORD", user.password(), "SECRET_HASH", hash(user.email())))))
                .isInstanceOf(software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException.class)
                .hasMessageContaining("USER_PASSWORD_AUTH flow not enabled for this client");
        AuthenticationResultType session = login(user.email(), user.password());
        assertThatThrownBy(() -> cognito.initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(Map.of("REFRESH_TOKEN", session.refreshToken()))))
                .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("secret was not received");
        // a refresh's hash is over the username (the sub): one over the e-mail does not verify
        assertThatThrownBy(() -> cognito.adminInitiateAuth(r -> r.userPoolId(poolId).clientId(clientId).authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(Map.of("REFRESH_TOKEN", session.refreshToken(), "SECRET_HASH", hash(user.email())))))
                .isInstanceOf(NotAuthorizedException.class).hasMessageContaining("Unable to verify secret hash");
        assertThatThrownBy(() -> cognito.revokeToken(r -> r.clientId(clientId).token(session.refreshToken())))
                .isInstanceOf(CognitoIdentityProviderException.class).hasMessageContaining("Invalid client or secret");
        assertThat(refresh(session).accessToken()).as("with the secret, the same refresh works").isNotBlank();
    }

    private static AuthenticationResultType login(String email, String password) {
        return cognito.adminInitiateAuth(r -> r.userPoolId(poolId).clientId(clientId).authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", password, "SECRET_HASH", hash(email)))).authenticationResult();
    }

    /** A refresh: its secret hash is over the user's Cognito username (the sub), not the e-mail. */
    private static AuthenticationResultType refresh(AuthenticationResultType session) {
        String username = dev.userapi.identity.TokenClaims.of(session.accessToken()).username();
        return cognito.adminInitiateAuth(r -> r.userPoolId(poolId).clientId(clientId).authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(Map.of("REFRESH_TOKEN", session.refreshToken(), "SECRET_HASH", hash(username)))).authenticationResult();
    }
}
