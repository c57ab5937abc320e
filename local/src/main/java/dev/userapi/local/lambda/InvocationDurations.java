package dev.userapi.local.lambda;

import java.util.Arrays;

/**
 * The durations of one function's invocations, as Lambda's {@code REPORT} line gives each one ({@code Duration}: from
 * the runtime handing the event to the handler, its deserialisation included, until the answer is serialised; not the
 * time an invocation waited for a free environment). In memory, the most recent {@value #CAPACITY} only; the benchmark
 * drains them around a latency round to get the server-side time of a route (docs/PERFORMANCE.md, goal 4).
 */
public final class InvocationDurations {
    static final int CAPACITY = 1 << 16;

    private final long[] nanos = new long[CAPACITY];
    private long recorded;

    synchronized void record(long durationNanos) {
        nanos[(int) (recorded % CAPACITY)] = durationNanos;
        recorded++;
    }

    /** The durations recorded since the last drain (at most the last {@value #CAPACITY}), in nanoseconds; then forgets them. */
    public synchronized long[] drain() {
        int count = (int) Math.min(recorded, CAPACITY);
        long[] copy;
        if (recorded <= CAPACITY) {
            copy = Arrays.copyOf(nanos, count);
        } else {
            int start = (int) (recorded % CAPACITY);
            copy = new long[CAPACITY];
            System.arraycopy(nanos, start, copy, 0, CAPACITY - start);
            System.arraycopy(nanos, 0, copy, CAPACITY - start, start);
        }
        recorded = 0;
        return copy;
    }
}
