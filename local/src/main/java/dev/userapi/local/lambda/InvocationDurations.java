package dev.userapi.local.lambda;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The durations of one function's invocations, as Lambda's {@code REPORT} line gives each one ({@code Duration}: from
 * the runtime handing the event to the handler, its deserialisation included, until the answer is serialised; not the
 * time an invocation waited for a free environment), and beside each the CPU time the invoking thread spent in the same
 * span: the handler's own work, without the time it waited for a CPU or for a downstream answer. On a machine where
 * many threads share few cores the two differ widely; on Lambda an environment serves one request at a time. In memory,
 * the most recent {@value #CAPACITY} only; the benchmark drains them around a latency round to get the server-side
 * time of a route (docs/PERFORMANCE.md, goal 4).
 */
public final class InvocationDurations {
    static final int CAPACITY = 1 << 16;
    /** Recorded for an invocation whose CPU time the JVM could not measure. */
    public static final long NOT_MEASURED = -1;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long[] nanos = new long[CAPACITY];
    private final long[] cpuNanos = new long[CAPACITY];
    private long recorded;

    /** The wall and CPU durations drained at once, in recording order; a CPU entry is {@link #NOT_MEASURED} when unknown. */
    public static final class Drained {
        private final long[] wall;
        private final long[] cpu;

        Drained(long[] wall, long[] cpu) {
            this.wall = wall;
            this.cpu = cpu;
        }

        public long[] wallNanos() {
            return wall.clone();
        }

        public long[] cpuNanos() {
            return cpu.clone();
        }
    }

    /**
     * Whether this JVM measures a thread's CPU time ({@code ThreadMXBean}: supported for the current thread and enabled);
     * when not, every CPU entry is {@link #NOT_MEASURED}.
     */
    public static boolean cpuTimeMeasured() {
        return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    }

    /** The current thread's CPU time (user + system) in nanoseconds, or {@link #NOT_MEASURED}. */
    static long currentThreadCpuNanos() {
        if (!cpuTimeMeasured()) {
            return NOT_MEASURED;
        }
        long cpu = THREADS.getCurrentThreadCpuTime();
        return cpu < 0 ? NOT_MEASURED : cpu;
    }

    void record(long durationNanos) {
        record(durationNanos, NOT_MEASURED);
    }

    synchronized void record(long durationNanos, long cpuDurationNanos) {
        int slot = (int) (recorded % CAPACITY);
        nanos[slot] = durationNanos;
        cpuNanos[slot] = cpuDurationNanos;
        recorded++;
    }

    /** The wall durations recorded since the last drain (at most the last {@value #CAPACITY}), in nanoseconds; then forgets them. */
    public long[] drain() {
        return drainWithCpu().wallNanos();
    }

    /** The wall and CPU durations recorded since the last drain (at most the last {@value #CAPACITY}); then forgets them. */
    public synchronized Drained drainWithCpu() {
        Drained drained = new Drained(ordered(nanos), ordered(cpuNanos));
        recorded = 0;
        return drained;
    }

    private long[] ordered(long[] ring) {
        if (recorded <= CAPACITY) {
            return Arrays.copyOf(ring, (int) recorded);
        }
        int start = (int) (recorded % CAPACITY);
        long[] copy = new long[CAPACITY];
        System.arraycopy(ring, start, copy, 0, CAPACITY - start);
        System.arraycopy(ring, 0, copy, CAPACITY - start, start);
        return copy;
    }
}
