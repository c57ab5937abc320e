package dev.userapi.identity;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Makes an operation take at least a fixed time, whether it succeeds or fails, so that answers for
 * an existing and an unknown account cannot be told apart by their latency.
 */
public final class UniformTiming {
    /** Waits a number of nanoseconds ({@link Thread#sleep(long, int)} in production; a recorder in tests). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final Duration floor;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;

    public UniformTiming(Duration floor) {
        this(floor, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /** For tests: the clock the elapsed time is read from and what waits out the rest of the floor. */
    UniformTiming(Duration floor, LongSupplier nanoTime, Sleeper sleeper) {
        this.floor = floor;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    public <T> T run(Supplier<T> operation) {
        long started = nanoTime.getAsLong();
        try {
            return operation.get();
        } finally {
            long remaining = floor.toNanos() - (nanoTime.getAsLong() - started);
            if (remaining > 0) {
                try {
                    sleeper.sleep(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    public void run(Runnable operation) {
        run(() -> {
            operation.run();
            return null;
        });
    }
}
