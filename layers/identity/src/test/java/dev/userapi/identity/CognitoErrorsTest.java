package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.TooManyRequestsException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;

class CognitoErrorsTest {
    private static NotAuthorizedException notAuthorized(String message) {
        return (NotAuthorizedException) NotAuthorizedException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotAuthorizedException").errorMessage(message).build()).build();
    }

    @Test
    void cognitosLockout_isTooManyRequestsWithRetryAfter_notBadCredentials() {
        RuntimeException translated = CognitoErrors.translate("InitiateAuth", notAuthorized("Password attempts exceeded"));

        assertThat(translated).isInstanceOf(TooManyRequestsException.class);
        assertThat(((TooManyRequestsException) translated).retryAfterSeconds()).isPositive();
    }

    @Test
    void aWrongPassword_staysInvalidCredentials() {
        assertThat(CognitoErrors.translate("InitiateAuth", notAuthorized("Incorrect username or password.")))
                .isInstanceOf(InvalidCredentialsException.class);
    }
}
