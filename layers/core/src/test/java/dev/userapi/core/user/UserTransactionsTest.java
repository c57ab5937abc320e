package dev.userapi.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.aws.FakeTime;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.testing.SdkMocks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The transaction retries on the retry policy's budget, without DynamoDB and without sleeping. */
class UserTransactionsTest {
    private final FakeTime time = new FakeTime();
    private final DynamoDbClient db = SdkMocks.client(DynamoDbClient.class);
    private final UserTransactions transactions = new UserTransactions(db, "users", time.retry(Duration.ofSeconds(4)));

    @Test
    void run_whenAnotherTransactionIsInTheWayOnce_retriesAfterAWaitAndSucceeds() {
        when(db.transactWriteItems(any(TransactWriteItemsRequest.class)))
                .thenThrow(cancelled("None", "TransactionConflict"))
                .thenReturn(TransactWriteItemsResponse.builder().build());

        transactions.run("test", List.of(transactions.adminCount(+1)));

        verify(db, times(2)).transactWriteItems(any(TransactWriteItemsRequest.class));
        assertThat(time.sleeps()).containsExactly(10L);
    }

    @Test
    void run_whenTransactionsKeepConflicting_givesUpWithServiceUnavailableWithinTheBudget() {
        when(db.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(cancelled("TransactionConflict"));

        assertThatThrownBy(() -> transactions.run("test", List.of(transactions.adminCount(+1))))
                .isInstanceOf(ServiceUnavailableException.class);

        assertThat(time.sleptMillis()).isLessThanOrEqualTo(4000);
        verify(db, times(time.sleeps().size() + 1)).transactWriteItems(any(TransactWriteItemsRequest.class));
    }

    @Test
    void run_whenAConditionFailed_rethrowsAtOnceForTheCaller() {
        TransactionCanceledException failed = cancelled("ConditionalCheckFailed", "TransactionConflict");
        when(db.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(failed);

        assertThatThrownBy(() -> transactions.run("test", List.of(transactions.adminCount(+1)))).isSameAs(failed);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void readModifyWrite_whenTheProfileKeepsChanging_readsAgainThenThrowsConflictWhenTheBudgetIsSpent() {
        when(db.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(cancelled("ConditionalCheckFailed", "None"));
        AtomicInteger reads = new AtomicInteger();

        assertThatThrownBy(() -> transactions.readModifyWrite("test", () -> {
            reads.incrementAndGet();
            return new UserTransactions.Plan(List.of(transactions.adminCount(+1)), -1);
        })).isInstanceOf(ConflictException.class).hasMessageContaining("changed concurrently");

        assertThat(reads.get()).isEqualTo(time.sleeps().size() + 1).isGreaterThan(1);
        assertThat(time.sleptMillis()).isLessThanOrEqualTo(4000);
    }

    @Test
    void readModifyWrite_whenTheCountersConditionFails_throwsLastAdministratorConflictWithoutRetrying() {
        when(db.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(cancelled("None", "ConditionalCheckFailed"));
        AtomicInteger reads = new AtomicInteger();

        assertThatThrownBy(() -> transactions.readModifyWrite("test", () -> {
            reads.incrementAndGet();
            return new UserTransactions.Plan(List.of(transactions.deleteRole("u", "admin"), transactions.adminCount(-1)), 1);
        })).isInstanceOf(ConflictException.class).hasMessageContaining("last administrator");

        assertThat(reads.get()).isEqualTo(1);
    }

    @Test
    void readModifyWrite_whenTheProfilesAndTheCountersConditionsBothFail_readsAgainInsteadOfReportingLastAdmin() {
        // a stale read: the profile was demoted meanwhile, so the count's condition failed with it
        when(db.transactWriteItems(any(TransactWriteItemsRequest.class)))
                .thenThrow(cancelled("ConditionalCheckFailed", "ConditionalCheckFailed"))
                .thenReturn(TransactWriteItemsResponse.builder().build());
        AtomicInteger reads = new AtomicInteger();

        transactions.readModifyWrite("test", () -> {
            reads.incrementAndGet();
            return new UserTransactions.Plan(List.of(transactions.deleteRole("u", "admin"), transactions.adminCount(-1)), 1);
        });

        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void readModifyWrite_sharesOneBudgetBetweenRereadsAndConflictRetries() {
        // each attempt: the transaction conflicts once, then its profile condition fails
        AtomicInteger calls = new AtomicInteger();
        when(db.transactWriteItems(any(TransactWriteItemsRequest.class))).thenAnswer(invocation -> {
            throw calls.incrementAndGet() % 2 == 1 ? cancelled("TransactionConflict") : cancelled("ConditionalCheckFailed");
        });

        assertThatThrownBy(() -> transactions.readModifyWrite("test",
                () -> new UserTransactions.Plan(List.of(transactions.adminCount(+1)), -1)))
                .isInstanceOf(RuntimeException.class);

        assertThat(time.sleptMillis()).isLessThanOrEqualTo(4000);
        assertThat(time.sleeps()).hasSize(14); // the same sequence of waits as one retry loop alone
    }

    private static TransactionCanceledException cancelled(String... codes) {
        return TransactionCanceledException.builder()
                .message("Transaction cancelled")
                .cancellationReasons(java.util.Arrays.stream(codes)
                        .map(code -> CancellationReason.builder().code(code).build()).toList())
                .build();
    }
}
