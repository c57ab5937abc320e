package dev.userapi.core.aws;

import dev.userapi.core.problem.ServiceUnavailableException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongBinaryOperator;
import java.util.function.LongSupplier;

/**
 * The one retry policy of the DynamoDB repositories: whatever an operation retries (a transaction
 * that another one was in the way of, a re-read after its condition failed, the keys a batch read
 * left unprocessed), it waits with capped exponential backoff and jitter, and all its waiting fits
 * in one time {@linkplain #BUDGET budget}, measured from the operation's start. Past that the store
 * counts as busy (503). The SDK's own retries (throttling, 5xx) come on top, per call.
 *
 * <p>Clock, sleeper and jitter are injectable, so the policy is unit-tested without sleeping.
 */
public final class DynamoRetry {
    /**
     * How long one repository operation may spend retrying in all: well inside the route functions'
     * 10-second timeout, so a busy item ends as a 503 from us, not as a Lambda timeout.
     */
    public static final Duration BUDGET = Duration.ofSeconds(4);
    /** The first wait's upper bound; each retry doubles it, up to {@link #MAX_WAIT_MILLIS}. */
    static final long FIRST_WAIT_MILLIS = 10;
    static final long MAX_WAIT_MILLIS = 400;

    /** Waits; a seam for tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final long budgetNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final LongBinaryOperator jitter;

    /**
     * @param nanoTime a monotonic clock in nanoseconds ({@link System#nanoTime()})
     * @param jitter   picks a wait in {@code [min, max]} milliseconds
     */
    public DynamoRetry(Duration budget, LongSupplier nanoTime, Sleeper sleeper, LongBinaryOperator jitter) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("negative budget");
        }
        this.budgetNanos = budget.toNanos();
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.jitter = jitter;
    }

    /** {@link #BUDGET}, the system clock, {@link Thread#sleep(long)} and random jitter. */
    public static DynamoRetry standard() {
        return new DynamoRetry(BUDGET, System::nanoTime, Thread::sleep,
                (min, max) -> ThreadLocalRandom.current().nextLong(min, max + 1));
    }

    /** Starts the budget of one operation: every retry of that operation draws on it. */
    public Budget start() {
        return new Budget(nanoTime.getAsLong() + budgetNanos);
    }

    /** The upper bound of the wait before retry number {@code retry} (0 for the first). */
    static long maxWaitMillis(int retry) {
        return Math.min(MAX_WAIT_MILLIS, FIRST_WAIT_MILLIS << Math.min(retry, 6));
    }

    /** What is left of one operation's budget. Not thread-safe: one per operation and thread. */
    public final class Budget {
        private final long deadline;
        private int retries;

        private Budget(long deadline) {
            this.deadline = deadline;
        }

        /**
         * Waits before the next attempt and returns true, or returns false at once if the wait would
         * end past the deadline (the caller gives up).
         *
         * @throws ServiceUnavailableException if the thread is interrupted while waiting
         */
        public boolean pause() {
            long cap = maxWaitMillis(retries);
            long wait = jitter.applyAsLong(cap / 2, cap);
            if (nanoTime.getAsLong() + Duration.ofMillis(wait).toNanos() - deadline > 0) {
                return false;
            }
            retries++;
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceUnavailableException("Interrupted while waiting to retry.");
            }
            return true;
        }

        /** As {@link #pause()}, but a spent budget is a 503: the store counts as busy. */
        public void pauseOrGiveUp(Throwable cause) {
            if (!pause()) {
                throw busy(cause);
            }
        }

        /** How many times this operation has waited to retry. */
        public int retries() {
            return retries;
        }
    }

    /** The answer when an operation's budget is spent. */
    public static ServiceUnavailableException busy(Throwable cause) {
        return cause == null ? new ServiceUnavailableException("The user store is busy; try again.")
                : new ServiceUnavailableException("The user store is busy; try again.", cause);
    }
}
