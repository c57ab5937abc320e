package dev.userapi.core.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A monotonic clock that only moves when told to, and a sleeper that moves it instead of sleeping. */
public final class FakeTime implements DynamoRetry.Sleeper {
    private long nanos = 1_000_000_000L;
    private final List<Long> sleeps = new ArrayList<>();

    public synchronized long nanoTime() {
        return nanos;
    }

    public synchronized void advance(Duration duration) {
        nanos += duration.toNanos();
    }

    @Override
    public synchronized void sleep(long millis) {
        sleeps.add(millis);
        nanos += Duration.ofMillis(millis).toNanos();
    }

    public synchronized List<Long> sleeps() {
        return List.copyOf(sleeps);
    }

    public synchronized long sleptMillis() {
        return sleeps.stream().mapToLong(Long::longValue).sum();
    }

    /** A retry policy on this clock that always waits the longest it may (deterministic). */
    public DynamoRetry retry(Duration budget) {
        return new DynamoRetry(budget, this::nanoTime, this, (min, max) -> max);
    }
}
