package dev.userapi.e2e.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/**
 * The AWS side of the suite: throw-away users made and removed with Cognito's admin APIs, as
 * {@code scripts/e2e.sh --stack} does on a deployed pool (no mailbox: the address is marked verified,
 * no message is sent, the password is set permanent). The test command runs the same calls against
 * the local stack's Cognito layer.
 */
public final class CognitoUsers {
    private final CognitoIdentityProviderClient cognito;
    private final String userPoolId;

    public CognitoUsers(CognitoIdentityProviderClient cognito, String userPoolId) {
        this.cognito = cognito;
        this.userPoolId = userPoolId;
    }

    /** AdminCreateUser (verified e-mail, no message) + AdminSetUserPassword (permanent): the user's {@code sub}. */
    public String create(String email, String password, String name) {
        String sub = cognito.adminCreateUser(r -> r.userPoolId(userPoolId).username(email)
                        .messageAction(MessageActionType.SUPPRESS)
                        .userAttributes(AttributeType.builder().name("email").value(email).build(),
                                AttributeType.builder().name("email_verified").value("true").build(),
                                AttributeType.builder().name("name").value(name).build()))
                .user().attributes().stream().filter(a -> a.name().equals("sub")).findFirst().orElseThrow().value();
        setPassword(email, password);
        return sub;
    }

    /** AdminSetUserPassword, permanent. */
    public void setPassword(String username, String password) {
        cognito.adminSetUserPassword(r -> r.userPoolId(userPoolId).username(username).password(password).permanent(true));
    }

    /** The user's {@code sub}, or empty when the pool has no such user. */
    public Optional<String> sub(String username) {
        try {
            return cognito.adminGetUser(r -> r.userPoolId(userPoolId).username(username)).userAttributes().stream()
                    .filter(a -> a.name().equals("sub")).map(AttributeType::value).findFirst();
        } catch (UserNotFoundException e) {
            return Optional.empty();
        }
    }

    /** AdminDeleteUser; false when there was no such user. */
    public boolean delete(String username) {
        try {
            cognito.adminDeleteUser(r -> r.userPoolId(userPoolId).username(username));
            return true;
        } catch (UserNotFoundException e) {
            return false;
        }
    }

    /** The app client's secret, as the API's functions read it (DescribeUserPoolClient: admin credentials). */
    public String clientSecret(String clientId) {
        return cognito.describeUserPoolClient(r -> r.userPoolId(userPoolId).clientId(clientId)).userPoolClient().clientSecret();
    }

    /** Cognito's SECRET_HASH: Base64(HMAC-SHA256(key = client secret, message = username + client ID)). */
    public static String secretHash(String secret, String username, String clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Signs in at Cognito directly, as only a holder of the admin credentials and the client's secret can
     * (the server-side flow the API uses; the app client allows no other): the tokens, without a session in the API.
     */
    public AuthenticationResultType signIn(String clientId, String email, String password) {
        String hash = secretHash(clientSecret(clientId), email, clientId);
        return cognito.adminInitiateAuth(r -> r.userPoolId(userPoolId).clientId(clientId).authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", password, "SECRET_HASH", hash))).authenticationResult();
    }
}
