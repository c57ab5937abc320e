package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.n;

import dev.userapi.core.aws.DynamoErrors;
import dev.userapi.core.aws.DynamoRetry;
import dev.userapi.core.problem.ConflictException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The transactions that keep a profile, its role memberships and the count of enabled administrators
 * in step, and the writes they are made of. The count item ({@code pk=META, sk=ENABLED_ADMINS}) only
 * goes down while it stays at least 1, so the last enabled administrator cannot be demoted, disabled
 * or deleted, not even by concurrent requests: DynamoDB serialises the transactions and the second
 * one's condition fails.
 */
final class UserTransactions {
    private final DynamoDbClient db;
    private final String table;
    private final DynamoRetry retry;

    UserTransactions(DynamoDbClient db, String table, DynamoRetry retry) {
        this.db = db;
        this.table = table;
        this.retry = retry;
    }

    /**
     * One attempt of a read-modify-write: the writes, with the profile's guarded write first, and
     * where the administrator count's write is ({@code -1}: none).
     */
    record Plan(List<TransactWriteItem> writes, int counterIndex) {
        Plan {
            writes = List.copyOf(writes);
        }
    }

    /**
     * Runs the plan that {@code read} builds from a fresh read until its first write's condition
     * holds (the profile did not change in between), within one retry budget. The count's condition
     * means "last administrator" only when the profile's held: when both fail, the read was stale.
     *
     * @throws ConflictException if the count's condition failed (the last administrator), or the
     *                           profile kept changing until the budget was spent
     */
    void readModifyWrite(String what, Supplier<Plan> read) {
        DynamoRetry.Budget budget = retry.start();
        while (true) {
            Plan plan = read.get();
            try {
                run(what, plan.writes(), budget);
                return;
            } catch (TransactionCanceledException e) {
                if (failedCondition(e, 0)) {
                    // The profile changed since it was read, so the plan is stale, and so is whatever else
                    // failed with it (the count's condition among them): read again and redo.
                    if (!budget.pause()) {
                        throw new ConflictException("The user was changed concurrently; try again.", e);
                    }
                    continue;
                }
                if (plan.counterIndex() >= 0 && failedCondition(e, plan.counterIndex())) {
                    throw lastAdmin(e);
                }
                throw DynamoErrors.translate("TransactWriteItems (" + what + ")", e);
            }
        }
    }

    /** Runs a transaction within a budget of its own; see {@link #run(String, List, DynamoRetry.Budget)}. */
    void run(String what, List<TransactWriteItem> writes) {
        run(what, writes, retry.start());
    }

    /**
     * Runs a transaction, retrying the cancellations that only mean "another transaction was in the
     * way" while {@code budget} lasts; then the store counts as busy (503).
     *
     * @throws TransactionCanceledException if a condition failed (the caller knows what that means)
     */
    void run(String what, List<TransactWriteItem> writes, DynamoRetry.Budget budget) {
        while (true) {
            try {
                db.transactWriteItems(r -> r.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                if (!isTransactionConflict(e)) {
                    throw e;
                }
                budget.pauseOrGiveUp(e);
            } catch (SdkException e) {
                throw DynamoErrors.translate("TransactWriteItems (" + what + ")", e);
            }
        }
    }

    TransactWriteItem putRole(String id, String email, String role) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(UserItems.roleItem(id, email, role)).build()).build();
    }

    TransactWriteItem deleteRole(String id, String role) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                .key(UserItems.roleKey(id, role)).build()).build();
    }

    /** Adds {@code delta} to the enabled administrators' count; a decrement requires the count to stay at least 1. */
    TransactWriteItem adminCount(int delta) {
        Update.Builder update = Update.builder().tableName(table).key(UserItems.ADMIN_COUNTER)
                .updateExpression("ADD #count :delta")
                .expressionAttributeNames(Map.of("#count", "count"))
                .expressionAttributeValues(delta < 0 ? Map.of(":delta", n(delta), ":one", n(1)) : Map.of(":delta", n(delta)));
        if (delta < 0) {
            update.conditionExpression("#count > :one");
        }
        return TransactWriteItem.builder().update(update.build()).build();
    }

    /** True if the transaction was cancelled only because other transactions were in the way. */
    static boolean isTransactionConflict(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        boolean conflict = false;
        for (CancellationReason reason : e.cancellationReasons()) {
            String code = reason.code();
            if ("ConditionalCheckFailed".equals(code)) {
                return false;
            }
            if ("TransactionConflict".equals(code)) {
                conflict = true;
            }
        }
        return conflict;
    }

    /** True if the write at {@code index} was cancelled because its condition failed. */
    static boolean failedCondition(TransactionCanceledException e, int index) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > index
                && "ConditionalCheckFailed".equals(e.cancellationReasons().get(index).code());
    }

    static ConflictException lastAdmin(Throwable cause) {
        return new ConflictException("This would remove the last administrator.", cause);
    }
}
