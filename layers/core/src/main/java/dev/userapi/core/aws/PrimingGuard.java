package dev.userapi.core.aws;

import dev.userapi.core.snapstart.Priming;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * On every SDK client {@link AwsClients} builds: while {@link Priming#active()} (a SnapStart priming step on this
 * thread), an operation that is not on the list of reads below is refused just before it would be sent, after the
 * request was marshalled and signed (so priming still warms that code), with a non-retryable {@link SdkClientException}.
 * Outside priming it does nothing. So priming can run a function's real request path and still never write to
 * DynamoDB, send mail, publish an event or make a Cognito call with an effect, whatever that path would do.
 *
 * <p>An allowlist, not a denylist: an operation added to the code later is refused during priming until it is
 * listed here as a read. Cognito's {@code GetUserAttributeVerificationCode} sends mail and is deliberately absent.
 */
public final class PrimingGuard implements ExecutionInterceptor {
    /** The one instance every client shares. */
    public static final PrimingGuard INSTANCE = new PrimingGuard();

    /** Operations without effects: DynamoDB reads, Cognito reads (a bogus token or an unknown pool or user is an error), KMS and SQS look-ups. */
    static final Set<String> READS = Set.of(
            "GetItem", "BatchGetItem", "TransactGetItems", "Query", "Scan", "DescribeTable",
            "GetUser", "AdminGetUser", "ListGroups", "AdminListGroupsForUser", "ListUsers", "ListUsersInGroup",
            "DescribeUserPool", "DescribeUserPoolClient",
            "GetPublicKey", "DescribeKey", "GetQueueUrl", "GetQueueAttributes");

    private PrimingGuard() {
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!Priming.active()) {
            return;
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (!READS.contains(operation)) {
            throw SdkClientException.create("refused during SnapStart priming: " + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)
                    + "." + operation + " is not a read");
        }
    }
}
