package dev.userapi.identity;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Makes an operation take at least a fixed time, whether it succeeds or fails, so that answers for
 * an existing and an unknown account cannot be told apart by their latency.
 */
public final class UniformTiming {
    private final Duration floor;

    public UniformTiming(Duration floor) {
        this.floor = floor;
    }

    public <T> T run(Supplier<T> operation) {
        long started = System.nanoTime();
        try {
            return operation.get();
        } finally {
            long remaining = floor.toNanos() - (System.nanoTime() - started);
            if (remaining > 0) {
                try {
                    Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
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
