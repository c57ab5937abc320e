package dev.userapi.core.aws;

import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ApiException;
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

    public static RuntimeException translate(String operation, SdkException e) {
        LOG.warn("DynamoDB call failed", e, "operation", operation);
        if (e instanceof ProvisionedThroughputExceededException || e instanceof RequestLimitExceededException
                || (e instanceof AwsServiceException ase && ase.isThrottlingException())) {
            return new TooManyRequestsException(1, e);
        }
        if (e instanceof SdkClientException || e instanceof InternalServerErrorException
                || e instanceof ResourceNotFoundException
                || (e instanceof AwsServiceException ase && ase.statusCode() >= 500)) {
            return new ServiceUnavailableException("The user store is unavailable; try again later.", e);
        }
        if (e instanceof AwsServiceException ase && "TransactionConflictException".equals(ase.awsErrorDetails().errorCode())) {
            return new ServiceUnavailableException("The user store is busy; try again.", e);
        }
        return new IllegalStateException("DynamoDB refused " + operation + ": " + e.getClass().getSimpleName(), e);
    }

    /** Lets domain exceptions through untouched. */
    public static boolean isDomain(Throwable e) {
        return e instanceof ApiException;
    }
}
