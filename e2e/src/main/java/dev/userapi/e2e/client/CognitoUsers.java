package dev.userapi.e2e.client;

import java.util.Optional;
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
}
