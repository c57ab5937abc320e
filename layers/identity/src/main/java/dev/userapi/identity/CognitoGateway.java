package dev.userapi.identity;

import dev.userapi.core.aws.AwsClients;
import dev.userapi.core.config.AppConfig;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DeliveryMediumType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;

/**
 * Everything this API asks of Cognito, in the API's own terms. Every SDK failure is translated to a
 * domain exception here ({@link CognitoErrors}); callers never see an SDK type.
 *
 * <p>Calls that act as the user take the user's own access token, so Cognito checks it again;
 * {@code admin*} calls use the function's IAM role, scoped to the pool.
 */
public class CognitoGateway {
    /**
     * Calls during which Cognito runs one of our triggers (post-confirmation, pre-token-generation)
     * may take the trigger's whole 5-second budget. They get a longer attempt timeout than the
     * client's default, so the SDK does not give up and retry a call Cognito is still finishing
     * (a retried ConfirmSignUp would find the account confirmed already), and one overall bound
     * within the function's own timeout.
     */
    static final AwsRequestOverrideConfiguration RUNS_TRIGGERS = AwsRequestOverrideConfiguration.builder()
            .apiCallAttemptTimeout(Duration.ofSeconds(7))
            .apiCallTimeout(Duration.ofSeconds(8))
            .build();

    private final Client client;
    private final String userPoolId;
    private final String clientId;
    /** The app client's secret (empty for a client without one), read once with DescribeUserPoolClient on first need. */
    private volatile Optional<String> clientSecret;

    public CognitoGateway(CognitoIdentityProviderClient client, String userPoolId, String clientId) {
        this(() -> client, userPoolId, clientId);
    }

    /**
     * A gateway whose SDK client is built on its first call. Route functions that call Cognito only now
     * and then ({@code GET /me} only to heal a missing profile, the admin reads never) do not pay for
     * building it in every cold start.
     */
    public CognitoGateway(java.util.function.Supplier<CognitoIdentityProviderClient> client, String userPoolId, String clientId) {
        this.client = new Client(client);
        this.userPoolId = userPoolId;
        this.clientId = clientId;
    }

    public static CognitoIdentityProviderClient client(AppConfig config, Optional<URI> endpoint) {
        return AwsClients.configure(CognitoIdentityProviderClient.builder(), config, endpoint).build();
    }

    /** A client that gives up within {@code budget} (the triggers: Cognito gives them 5 seconds in all). */
    public static CognitoIdentityProviderClient client(AppConfig config, Optional<URI> endpoint, java.time.Duration budget) {
        return AwsClients.configure(CognitoIdentityProviderClient.builder(), config, endpoint, budget).build();
    }

    /**
     * SnapStart priming: builds the (lazy) client and runs one call through it, on a pool that does not exist in this
     * region, so nothing is read or changed; the refusal that comes back is expected and ignored.
     */
    public void prime() {
        String region = userPoolId != null && userPoolId.indexOf('_') > 0 ? userPoolId.substring(0, userPoolId.indexOf('_')) : "us-east-1";
        try {
            client.get().adminListGroupsForUser(r -> r.userPoolId(region + "_SnapStartPriming").username("snapstart-priming"));
        } catch (RuntimeException expected) {
            // ResourceNotFound or AccessDenied: the client, its marshallers and the HTTP client have run
        }
    }

    public String userPoolId() {
        return userPoolId;
    }

    /**
     * The app client's secret, read with {@code DescribeUserPoolClient} the first time a call needs it
     * and kept for the life of the execution environment: it is never in an environment variable
     * (docs/SECURITY.md item 31). Empty for a client without a secret.
     */
    public Optional<String> clientSecret() {
        Optional<String> known = clientSecret;
        if (known == null) {
            synchronized (this) {
                if (clientSecret == null) {
                    var response = call("DescribeUserPoolClient", () -> client.get().describeUserPoolClient(r -> r
                            .userPoolId(userPoolId).clientId(clientId)));
                    String secret = response == null || response.userPoolClient() == null ? null
                            : response.userPoolClient().clientSecret();
                    clientSecret = Optional.ofNullable(secret).filter(v -> !v.isEmpty());
                }
                known = clientSecret;
            }
        }
        return known;
    }

    /** {@code SECRET_HASH} for {@code username} when the client has a secret, otherwise null (the parameter left out). */
    private String secretHash(String username) {
        return clientSecret().map(secret -> SecretHash.of(secret, username, clientId)).orElse(null);
    }

    /** Auth parameters with {@code SECRET_HASH} added when the client has a secret. */
    private Map<String, String> withSecretHash(Map<String, String> parameters, String username) {
        String hash = secretHash(username);
        if (hash == null) {
            return parameters;
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(parameters);
        all.put("SECRET_HASH", hash);
        return all;
    }

    // ------------------------------------------------------------------------------------------
    // Public (unauthenticated) operations of the app client
    // ------------------------------------------------------------------------------------------

    /** Registers an account; Cognito e-mails a confirmation code. Returns the new user's {@code sub}. */
    public String signUp(String email, String password, Optional<String> name) {
        List<AttributeType> attributes = new ArrayList<>();
        attributes.add(attribute("email", email));
        name.ifPresent(n -> attributes.add(attribute("name", n)));
        String hash = secretHash(email);
        return call("SignUp", () -> client.get().signUp(r -> r.clientId(clientId).secretHash(hash).username(email).password(password)
                .userAttributes(attributes)).userSub());
    }

    public void confirmSignUp(String email, String code) {
        String hash = secretHash(email);
        call("ConfirmSignUp", () -> client.get().confirmSignUp(r -> r.clientId(clientId).secretHash(hash).username(email).confirmationCode(code)
                .overrideConfiguration(RUNS_TRIGGERS)));
    }

    public void resendConfirmationCode(String email) {
        String hash = secretHash(email);
        call("ResendConfirmationCode", () -> client.get().resendConfirmationCode(r -> r.clientId(clientId).secretHash(hash).username(email)));
    }

    private static AuthOutcome outcome(AuthenticationResultType result, ChallengeNameType challenge, String session) {
        return outcome(result, challenge, session, Map.of());
    }

    /** Tokens, or the challenge with a session that carries the username Cognito names for the answer ({@link ChallengeSession}). */
    private static AuthOutcome outcome(AuthenticationResultType result, ChallengeNameType challenge, String session,
                                       Map<String, String> parameters) {
        if (result != null) {
            return new AuthOutcome.Tokens(tokens(result, null));
        }
        return new AuthOutcome.Challenge(challenge == null ? "UNKNOWN" : challenge.toString(),
                ChallengeSession.wrap(Optional.ofNullable(parameters.get("USER_ID_FOR_SRP")), session));
    }

    private static Map<String, String> parameters(boolean has, Map<String, String> parameters) {
        return has ? parameters : Map.of();
    }

    /**
     * Signs in with a password: tokens, or the challenge Cognito asks for next (MFA, new password).
     * A server-side flow ({@code AdminInitiateAuth}, IAM-authorised, with the client's secret hash):
     * the app client allows no flow a caller could run without the API (docs/SECURITY.md item 31).
     */
    public AuthOutcome login(String email, String password) {
        Map<String, String> parameters = withSecretHash(Map.of("USERNAME", email, "PASSWORD", password), email);
        var response = call("AdminInitiateAuth", () -> client.get().adminInitiateAuth(r -> r.userPoolId(userPoolId).clientId(clientId)
                .overrideConfiguration(RUNS_TRIGGERS)
                .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                .authParameters(parameters)));
        return outcome(response.authenticationResult(), response.challengeName(), response.session(),
                parameters(response.hasChallengeParameters(), response.challengeParameters()));
    }

    /**
     * Answers a {@code SOFTWARE_TOKEN_MFA} challenge. The answer names the user by the username the challenge gave
     * ({@code USER_ID_FOR_SRP}, carried in the session), and the secret hash is over it: Cognito wants the actual
     * username there, not the e-mail.
     */
    public AuthOutcome answerMfa(String email, String session, String code) {
        ChallengeSession.Parts parts = ChallengeSession.unwrap(session, email);
        Map<String, String> responses = withSecretHash(Map.of("USERNAME", parts.username(), "SOFTWARE_TOKEN_MFA_CODE", code), parts.username());
        var response = call("AdminRespondToAuthChallenge", () -> client.get().adminRespondToAuthChallenge(r -> r
                .userPoolId(userPoolId).clientId(clientId)
                .overrideConfiguration(RUNS_TRIGGERS)
                .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA)
                .session(parts.cognitoSession())
                .challengeResponses(responses)));
        return outcome(response.authenticationResult(), response.challengeName(), response.session(),
                parameters(response.hasChallengeParameters(), response.challengeParameters()));
    }

    /** Answers a {@code NEW_PASSWORD_REQUIRED} challenge (first sign-in of an account an admin created), by username as {@link #answerMfa}. */
    public AuthOutcome answerNewPassword(String email, String session, String newPassword) {
        ChallengeSession.Parts parts = ChallengeSession.unwrap(session, email);
        Map<String, String> responses = withSecretHash(Map.of("USERNAME", parts.username(), "NEW_PASSWORD", newPassword), parts.username());
        var response = call("AdminRespondToAuthChallenge", () -> client.get().adminRespondToAuthChallenge(r -> r
                .userPoolId(userPoolId).clientId(clientId)
                .overrideConfiguration(RUNS_TRIGGERS)
                .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                .session(parts.cognitoSession())
                .challengeResponses(responses)));
        return outcome(response.authenticationResult(), response.challengeName(), response.session(),
                parameters(response.hasChallengeParameters(), response.challengeParameters()));
    }

    /**
     * New access and ID tokens for a refresh token; the refresh token stays the same. {@code username}
     * is the user's Cognito username, the {@code sub} in this pool: Cognito computes the refresh's
     * secret hash with it, not with the e-mail the user signs in with.
     */
    public AuthTokens refresh(String username, String refreshToken) {
        Map<String, String> parameters = withSecretHash(Map.of("REFRESH_TOKEN", refreshToken), username);
        var result = call("AdminInitiateAuth", () -> client.get().adminInitiateAuth(r -> r.userPoolId(userPoolId).clientId(clientId)
                .overrideConfiguration(RUNS_TRIGGERS)
                .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(parameters))).authenticationResult();
        if (result == null) {
            throw new dev.userapi.core.problem.UnauthorizedException();
        }
        return tokens(result, refreshToken);
    }

    /** Revokes a refresh token and the access tokens issued with it. */
    public void revoke(String refreshToken) {
        String secret = clientSecret().orElse(null);
        call("RevokeToken", () -> client.get().revokeToken(r -> r.clientId(clientId).clientSecret(secret).token(refreshToken)));
    }

    public void forgotPassword(String email) {
        String hash = secretHash(email);
        call("ForgotPassword", () -> client.get().forgotPassword(r -> r.clientId(clientId).secretHash(hash).username(email)));
    }

    public void confirmForgotPassword(String email, String code, String newPassword) {
        String hash = secretHash(email);
        call("ConfirmForgotPassword", () -> client.get().confirmForgotPassword(r -> r.clientId(clientId).secretHash(hash).username(email)
                .confirmationCode(code).password(newPassword).overrideConfiguration(RUNS_TRIGGERS)));
    }

    /** What {@code USER_AUTH} answered: the challenge Cognito asks for, its parameters and session. */
    public record AuthChallenge(String name, Map<String, String> parameters, String session) {
    }

    /**
     * Starts a passkey sign-in: {@code AdminInitiateAuth} with {@code USER_AUTH} and {@code PREFERRED_CHALLENGE=WEB_AUTHN},
     * for the Cognito username {@code username} (the {@code sub}, which the secret hash is over). Cognito answers
     * {@code WEB_AUTHN} with {@code CREDENTIAL_REQUEST_OPTIONS} when the user has a passkey it may use, otherwise
     * another challenge ({@code SELECT_CHALLENGE}, {@code PASSWORD}).
     */
    public AuthChallenge startPasskeySignIn(String username) {
        Map<String, String> parameters = withSecretHash(Map.of("USERNAME", username, "PREFERRED_CHALLENGE", "WEB_AUTHN"), username);
        var response = call("AdminInitiateAuth", () -> client.get().adminInitiateAuth(r -> r.userPoolId(userPoolId).clientId(clientId)
                .authFlow(AuthFlowType.USER_AUTH)
                .authParameters(parameters)));
        return new AuthChallenge(response.challengeNameAsString(),
                response.hasChallengeParameters() ? Map.copyOf(response.challengeParameters()) : Map.of(), response.session());
    }

    /**
     * Starts an e-mail code sign-in: {@code AdminInitiateAuth} with {@code USER_AUTH} and
     * {@code PREFERRED_CHALLENGE=EMAIL_OTP}; Cognito e-mails the code and answers {@code EMAIL_OTP} when the account may
     * use one (not with MFA on), otherwise another challenge.
     */
    public AuthChallenge startEmailCodeSignIn(String username) {
        Map<String, String> parameters = withSecretHash(Map.of("USERNAME", username, "PREFERRED_CHALLENGE", "EMAIL_OTP"), username);
        var response = call("AdminInitiateAuth", () -> client.get().adminInitiateAuth(r -> r.userPoolId(userPoolId).clientId(clientId)
                .authFlow(AuthFlowType.USER_AUTH)
                .authParameters(parameters)));
        return new AuthChallenge(response.challengeNameAsString(),
                response.hasChallengeParameters() ? Map.copyOf(response.challengeParameters()) : Map.of(), response.session());
    }

    /** Answers an {@code EMAIL_OTP} challenge with the e-mailed code. */
    public AuthOutcome answerEmailCode(String username, String session, String code) {
        Map<String, String> responses = withSecretHash(Map.of("USERNAME", username, "EMAIL_OTP_CODE", code), username);
        var response = call("AdminRespondToAuthChallenge", () -> client.get().adminRespondToAuthChallenge(r -> r
                .userPoolId(userPoolId).clientId(clientId)
                .overrideConfiguration(RUNS_TRIGGERS)
                .challengeName(ChallengeNameType.EMAIL_OTP)
                .session(session)
                .challengeResponses(responses)));
        return outcome(response.authenticationResult(), response.challengeName(), response.session());
    }

    /** Answers a {@code WEB_AUTHN} challenge with the authenticator's assertion ({@code AuthenticationResponseJSON}, as JSON text). */
    public AuthOutcome answerPasskey(String username, String session, String credentialJson) {
        Map<String, String> responses = withSecretHash(Map.of("USERNAME", username, "CREDENTIAL", credentialJson), username);
        var response = call("AdminRespondToAuthChallenge", () -> client.get().adminRespondToAuthChallenge(r -> r
                .userPoolId(userPoolId).clientId(clientId)
                .overrideConfiguration(RUNS_TRIGGERS)
                .challengeName(ChallengeNameType.WEB_AUTHN)
                .session(session)
                .challengeResponses(responses)));
        return outcome(response.authenticationResult(), response.challengeName(), response.session());
    }

    // ------------------------------------------------------------------------------------------
    // Acting as the signed-in user, with the user's own access token
    // ------------------------------------------------------------------------------------------

    public CognitoUser getUser(String accessToken) {
        var response = call("GetUser", () -> client.get().getUser(r -> r.accessToken(accessToken)));
        return new CognitoUser(response.username(), toMap(response.userAttributes()), true, null,
                response.hasUserMFASettingList() && response.userMFASettingList().contains("SOFTWARE_TOKEN_MFA"));
    }

    public void changePassword(String accessToken, String currentPassword, String newPassword) {
        call("ChangePassword", () -> client.get().changePassword(r -> r.accessToken(accessToken)
                .previousPassword(currentPassword).proposedPassword(newPassword)));
    }

    /** Starts TOTP set-up; returns the shared secret. */
    public String associateSoftwareToken(String accessToken) {
        return call("AssociateSoftwareToken", () -> client.get().associateSoftwareToken(r -> r.accessToken(accessToken)).secretCode());
    }

    public void verifySoftwareToken(String accessToken, String code) {
        var response = call("VerifySoftwareToken", () -> client.get().verifySoftwareToken(r -> r.accessToken(accessToken)
                .userCode(code).friendlyDeviceName("authenticator")));
        if (response.status() == null || !"SUCCESS".equals(response.statusAsString())) {
            throw new dev.userapi.core.problem.CodeMismatchException();
        }
    }

    /** Makes TOTP required (and preferred) at sign-in, or turns it off. */
    public void setTotpRequired(String accessToken, boolean enabled) {
        call("SetUserMFAPreference", () -> client.get().setUserMFAPreference(r -> r.accessToken(accessToken)
                .softwareTokenMfaSettings(s -> s.enabled(enabled).preferredMfa(enabled))));
    }

    /** Signs the user out of every device: refresh tokens revoked. */
    public void globalSignOut(String accessToken) {
        call("GlobalSignOut", () -> client.get().globalSignOut(r -> r.accessToken(accessToken)));
    }

    public void deleteUser(String accessToken) {
        call("DeleteUser", () -> client.get().deleteUser(r -> r.accessToken(accessToken)));
    }

    /** A passkey of the user, as {@code ListWebAuthnCredentials} describes it. */
    public record Passkey(String id, String name, java.time.Instant createdAt) {
    }

    /** Starts a passkey registration: Cognito's {@code PublicKeyCredentialCreationOptionsJSON}. */
    public Object startWebAuthnRegistration(String accessToken) {
        var response = call("StartWebAuthnRegistration", () -> client.get().startWebAuthnRegistration(r -> r.accessToken(accessToken)));
        return Documents.toJava(response.credentialCreationOptions());
    }

    /** Completes the registration with the authenticator's {@code RegistrationResponseJSON}; Cognito answers nothing. */
    public void completeWebAuthnRegistration(String accessToken, Object credential) {
        call("CompleteWebAuthnRegistration", () -> client.get().completeWebAuthnRegistration(r -> r.accessToken(accessToken)
                .credential(Documents.fromJava(credential))));
    }

    /** Every passkey of the user (all pages). */
    public List<Passkey> listWebAuthnCredentials(String accessToken) {
        List<Passkey> all = new ArrayList<>();
        String[] next = {null};
        do {
            var response = call("ListWebAuthnCredentials", () -> client.get().listWebAuthnCredentials(r -> r.accessToken(accessToken)
                    .maxResults(20).nextToken(next[0])));
            response.credentials().forEach(c -> all.add(new Passkey(c.credentialId(), c.friendlyCredentialName(), c.createdAt())));
            next[0] = response.nextToken();
        } while (next[0] != null && !next[0].isEmpty());
        return all;
    }

    /** Deletes one of the user's passkeys; {@link dev.userapi.core.problem.NotFoundException} if it has none by that id. */
    public void deleteWebAuthnCredential(String accessToken, String credentialId) {
        call("DeleteWebAuthnCredential", () -> client.get().deleteWebAuthnCredential(r -> r.accessToken(accessToken)
                .credentialId(credentialId)));
    }

    // ------------------------------------------------------------------------------------------
    // Administration (IAM-authorised, scoped to the pool)
    // ------------------------------------------------------------------------------------------

    public CognitoUser adminGetUser(String username) {
        AdminGetUserResponse response = call("AdminGetUser", () -> client.get().adminGetUser(r -> r.userPoolId(userPoolId).username(username)));
        return new CognitoUser(response.username(), toMap(response.userAttributes()),
                Boolean.TRUE.equals(response.enabled()), response.userStatusAsString(),
                response.hasUserMFASettingList() && response.userMFASettingList().contains("SOFTWARE_TOKEN_MFA"));
    }

    /** Creates an account; Cognito e-mails a temporary password. Returns the new user. */
    public CognitoUser adminCreateUser(String email, Optional<String> name) {
        List<AttributeType> attributes = new ArrayList<>();
        attributes.add(attribute("email", email));
        attributes.add(attribute("email_verified", "true"));
        name.ifPresent(n -> attributes.add(attribute("name", n)));
        var user = call("AdminCreateUser", () -> client.get().adminCreateUser(r -> r.userPoolId(userPoolId).username(email)
                .userAttributes(attributes)
                .desiredDeliveryMediums(DeliveryMediumType.EMAIL))).user();
        return new CognitoUser(user.username(), toMap(user.attributes()), Boolean.TRUE.equals(user.enabled()),
                user.userStatusAsString(), false);
    }

    public void adminDeleteUser(String username) {
        call("AdminDeleteUser", () -> client.get().adminDeleteUser(r -> r.userPoolId(userPoolId).username(username)));
    }

    public void adminDisableUser(String username) {
        call("AdminDisableUser", () -> client.get().adminDisableUser(r -> r.userPoolId(userPoolId).username(username)));
    }

    public void adminEnableUser(String username) {
        call("AdminEnableUser", () -> client.get().adminEnableUser(r -> r.userPoolId(userPoolId).username(username)));
    }

    /** Forces a password reset: the user must set a new password with the code Cognito e-mails. */
    public void adminResetUserPassword(String username) {
        call("AdminResetUserPassword", () -> client.get().adminResetUserPassword(r -> r.userPoolId(userPoolId).username(username)));
    }

    /**
     * Sets the user's password, permanent (the account is then {@code CONFIRMED}; any earlier password
     * stops working). Only after the user proved control of the address (a confirmation code).
     */
    public void adminSetPassword(String username, String password) {
        call("AdminSetUserPassword", () -> client.get().adminSetUserPassword(r -> r.userPoolId(userPoolId).username(username)
                .password(password).permanent(true)));
    }

    /**
     * Sets the user's e-mail, verified, at once (issue 18: the API verified the new address with its own code).
     * With {@code email_verified=true} in the same call, Cognito applies the change even though the pool keeps the
     * old address until verification ({@code AttributesRequireVerificationBeforeUpdate}) and sends no message.
     *
     * @throws dev.userapi.core.problem.AccountExistsException if another account has the address
     */
    public void adminSetVerifiedEmail(String username, String email) {
        call("AdminUpdateUserAttributes", () -> client.get().adminUpdateUserAttributes(r -> r.userPoolId(userPoolId).username(username)
                .userAttributes(attribute("email", email), attribute("email_verified", "true"))));
    }

    /** Revokes every refresh token of the user. */
    public void adminUserGlobalSignOut(String username) {
        call("AdminUserGlobalSignOut", () -> client.get().adminUserGlobalSignOut(r -> r.userPoolId(userPoolId).username(username)));
    }

    public Set<String> adminListGroups(String username) {
        Set<String> groups = new LinkedHashSet<>();
        String[] next = {null};
        do {
            var response = call("AdminListGroupsForUser", () -> client.get().adminListGroupsForUser(r -> r.userPoolId(userPoolId)
                    .username(username).limit(60).nextToken(next[0])));
            response.groups().stream().map(GroupType::groupName).forEach(groups::add);
            next[0] = response.nextToken();
        } while (next[0] != null && !next[0].isEmpty());
        return groups;
    }

    public void adminAddToGroup(String username, String group) {
        call("AdminAddUserToGroup", () -> client.get().adminAddUserToGroup(r -> r.userPoolId(userPoolId).username(username).groupName(group)));
    }

    public void adminRemoveFromGroup(String username, String group) {
        call("AdminRemoveUserFromGroup", () -> client.get().adminRemoveUserFromGroup(r -> r.userPoolId(userPoolId).username(username).groupName(group)));
    }

    // ------------------------------------------------------------------------------------------

    private static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw CognitoErrors.translate(operation, e);
        }
    }

    private static AttributeType attribute(String name, String value) {
        return AttributeType.builder().name(name).value(value).build();
    }

    private static Map<String, String> toMap(List<AttributeType> attributes) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        if (attributes != null) {
            attributes.stream().filter(a -> a.name() != null && a.value() != null)  // CognitoUser copies the map: no nulls
                    .forEach(a -> map.put(a.name(), a.value()));
        }
        return map;
    }

    /**
     * The tokens of an authentication result. A sign-in must bring all three tokens and a refresh
     * must bring the access and ID tokens; an answer without them is Cognito misbehaving, not the
     * caller's fault, so it is a 503 rather than a session registered without a refresh token.
     */
    private static AuthTokens tokens(AuthenticationResultType result, String refreshToken) {
        String refresh = result.refreshToken() != null ? result.refreshToken() : refreshToken;
        if (isBlank(result.accessToken()) || isBlank(result.idToken()) || isBlank(refresh)) {
            throw new dev.userapi.core.problem.ServiceUnavailableException(
                    "The identity provider answered without the tokens it issues; try again.");
        }
        return new AuthTokens(result.accessToken(), result.idToken(), refresh,
                result.expiresIn() == null ? 3600 : result.expiresIn());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** The SDK client, built once, on first use. */
    private static final class Client {
        private final java.util.function.Supplier<CognitoIdentityProviderClient> factory;
        private volatile CognitoIdentityProviderClient built;

        Client(java.util.function.Supplier<CognitoIdentityProviderClient> factory) {
            this.factory = java.util.Objects.requireNonNull(factory, "client");
        }

        CognitoIdentityProviderClient get() {
            CognitoIdentityProviderClient ready = built;
            if (ready == null) {
                synchronized (this) {
                    if (built == null) {
                        built = java.util.Objects.requireNonNull(factory.get(), "client");
                    }
                    ready = built;
                }
            }
            return ready;
        }
    }
}
