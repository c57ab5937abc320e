package dev.userapi.core.attempts;

/**
 * One stored counter as read: consecutive failures and the instant of the last one (epoch ms).
 * {@link #NONE} stands for "no item". The stored values are also what a conditional write compares
 * with, so they are kept as read (before {@link AttemptPolicy#effectiveFailures forgetting}).
 */
public record AttemptCounter(long failures, long lastFailureMillis) {
    public static final AttemptCounter NONE = new AttemptCounter(0, 0);

    public boolean isNone() {
        return equals(NONE);
    }
}
