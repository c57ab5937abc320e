package dev.userapi.core.aws;

import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.problem.TooManyRequestsException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Translates DynamoDB failures into domain exceptions at the repository boundary. */
public final class DynamoErrors {
    private static final Log LOG = Log.of(DynamoErrors.class);

    private DynamoErrors() {
    }

    /** Logs the failure, once (the frames log only its type), and returns the domain exception to throw. */
    public static RuntimeException translate(String operation, SdkException e) {
        if (e instanceof ProvisionedThroughputExceededException || e instanceof RequestLimitExceededException
                || (e instanceof AwsServiceException ase && ase.isThrottlingException())) {
            LOG.warn("DynamoDB call failed", e, "operation", operation);
            return new TooManyRequestsException(1, e);
        }
        if (e instanceof SdkClientException || e instanceof InternalServerErrorException
                || e instanceof ResourceNotFoundException
                || (e instanceof AwsServiceException ase && ase.statusCode() >= 500)) {
            LOG.warn("DynamoDB call failed", e, "operation", operation);
            return new ServiceUnavailableException("The user store is unavailable; try again later.", e);
        }
        if (e instanceof software.amazon.awssdk.services.dynamodb.model.TransactionConflictException) {
            LOG.warn("DynamoDB call failed", e, "operation", operation);
            return new ServiceUnavailableException("The user store is busy; try again.", e);
        }
        // An error we do not map (a validation error, a limit, a code added later): the caller cannot fix it by
        // changing the request, so it is the dependency failing (503), logged as an error for us to look at.
        LOG.error("DynamoDB refused a call with an unmapped error", e, "operation", operation);
        return new ServiceUnavailableException("The user store refused the request; try again later.", e);
    }
}
