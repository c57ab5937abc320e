package dev.userapi.identity;

import dev.userapi.core.log.Log;
import dev.userapi.core.problem.AccountExistsException;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.problem.UnauthorizedException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AliasExistsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeDeliveryFailureException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ConcurrentModificationException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.EnableSoftwareTokenMfaException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExpiredCodeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InternalErrorException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidLambdaResponseException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidParameterException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.LimitExceededException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordHistoryPolicyViolationException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordResetRequiredException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SoftwareTokenMfaNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyFailedAttemptsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnexpectedLambdaException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnsupportedTokenTypeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotConfirmedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserLambdaValidationException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/**
 * Translates every Cognito failure into a domain exception, once, at the gateway boundary. The
 * SDK's message is logged here and never reaches a client.
 */
final class CognitoErrors {
    private static final Log LOG = Log.of(CognitoErrors.class);

    private CognitoErrors() {
    }

    /** Cognito's message for a sign-in during its temporary lockout. */
    static final String LOCKED_OUT = "Password attempts exceeded";
    /** The lockout's length is not told; its first windows are seconds long. */
    static final int LOCKOUT_RETRY_AFTER_SECONDS = 5;

    /** Logs the failure, once (the frames log only its type), and returns the domain exception to throw. */
    static RuntimeException translate(String operation, SdkException e) {
        RuntimeException translated = map(e);
        if (translated == null) {
            // An error we do not map (a configuration error such as ResourceNotFound, WAF's Forbidden, a code
            // added later): not the caller's to fix, so the dependency failing (503), logged as an error.
            LOG.error("Cognito refused a call with an unmapped error", e, "operation", operation);
            return new ServiceUnavailableException("The identity provider refused the request; try again later.", e);
        }
        if (e instanceof AwsServiceException ase) {
            LOG.info("Cognito refused a call", "operation", operation, "errorCode",
                    ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode(), "status", ase.statusCode());
        } else {
            LOG.warn("Cognito call failed", e, "operation", operation);
        }
        return translated;
    }

    /** The domain exception for {@code e}, or null when it is not one we map. */
    private static RuntimeException map(SdkException e) {
        if (e instanceof UsernameExistsException || e instanceof AliasExistsException) {
            return new AccountExistsException();
        }
        if (e instanceof InvalidPasswordException || e instanceof PasswordHistoryPolicyViolationException) {
            return new dev.userapi.core.problem.InvalidPasswordException();
        }
        if (e instanceof NotAuthorizedException && LOCKED_OUT.equals(((NotAuthorizedException) e).awsErrorDetails() == null ? null
                : ((NotAuthorizedException) e).awsErrorDetails().errorMessage())) {
            // Cognito's temporary lockout after failed sign-ins (up to about 15 minutes): a limit, not bad credentials
            return new dev.userapi.core.problem.TooManyRequestsException(LOCKOUT_RETRY_AFTER_SECONDS, e);
        }
        if (e instanceof NotAuthorizedException) {
            return new InvalidCredentialsException();
        }
        if (e instanceof UserNotFoundException) {
            return new dev.userapi.core.problem.UserNotFoundException();
        }
        if (e instanceof UserNotConfirmedException) {
            return new dev.userapi.core.problem.UserNotConfirmedException();
        }
        if (e instanceof PasswordResetRequiredException) {
            return new dev.userapi.core.problem.PasswordResetRequiredException();
        }
        if (e instanceof software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException
                || e instanceof EnableSoftwareTokenMfaException) {
            return new CodeMismatchException();
        }
        if (e instanceof ExpiredCodeException) {
            return new dev.userapi.core.problem.ExpiredCodeException();
        }
        if (e instanceof TooManyRequestsException || e instanceof TooManyFailedAttemptsException) {
            return new dev.userapi.core.problem.TooManyRequestsException(5, e);
        }
        if (e instanceof LimitExceededException) {
            return new dev.userapi.core.problem.TooManyRequestsException(30, e);
        }
        if (e instanceof SoftwareTokenMfaNotFoundException) {
            return new InvalidRequestException("Start the TOTP set-up (POST /me/mfa/totp) before verifying a code.");
        }
        if (e instanceof UnsupportedTokenTypeException
                || e instanceof software.amazon.awssdk.services.cognitoidentityprovider.model.UnauthorizedException) {
            return new UnauthorizedException();
        }
        if (e instanceof ConcurrentModificationException) {
            return new ConflictException("The account is being changed by another request; try again.");
        }
        if (e instanceof software.amazon.awssdk.services.cognitoidentityprovider.model.WebAuthnChallengeNotFoundException
                || e instanceof software.amazon.awssdk.services.cognitoidentityprovider.model.WebAuthnClientMismatchException
                || e instanceof software.amazon.awssdk.services.cognitoidentityprovider.model.WebAuthnCredentialNotSupportedException
                || e instanceof software.amazon.awssdk.services.cognitoidentityprovider.model.WebAuthnOriginNotAllowedException
                || e instanceof software.amazon.awssdk.services.cognitoidentityprovider.model.WebAuthnRelyingPartyMismatchException) {
            return new InvalidRequestException("The passkey did not verify, or its challenge was used or expired; start again.");
        }
        if (e instanceof software.amazon.awssdk.services.cognitoidentityprovider.model.WebAuthnNotEnabledException
                || e instanceof software.amazon.awssdk.services.cognitoidentityprovider.model.WebAuthnConfigurationMissingException) {
            return new ServiceUnavailableException("Passkeys are not enabled for this deployment (PasskeyRelyingPartyId).", e);
        }
        if (e instanceof software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException) {
            return new dev.userapi.core.problem.NotFoundException("No such passkey.");
        }
        if (e instanceof InvalidParameterException) {
            return new InvalidRequestException("Cognito refused the request's parameters.");
        }
        if (e instanceof CodeDeliveryFailureException || e instanceof InternalErrorException || e instanceof SdkClientException
                || isTriggerFailure(e) || (e instanceof AwsServiceException ase && ase.statusCode() >= 500)) {
            return new ServiceUnavailableException("The identity provider is unavailable; try again later.", e);
        }
        if (e instanceof AwsServiceException ase && ase.isThrottlingException()) {
            return new dev.userapi.core.problem.TooManyRequestsException(5, e);
        }
        return null;
    }

    /**
     * One of our Lambda triggers failed or timed out (the post-confirmation trigger throws when DynamoDB
     * is down, so that Cognito retries it): Cognito reports it with HTTP 400, but it is a dependency
     * failing, not a bad request — a 503.
     */
    private static boolean isTriggerFailure(SdkException e) {
        return e instanceof UserLambdaValidationException || e instanceof UnexpectedLambdaException
                || e instanceof InvalidLambdaResponseException;
    }
}
