package dev.userapi.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The emulator's per-invocation durations (what the benchmark reads as the server-side time of a route). */
class InvocationDurationsTest {
    @Test
    void drain_givesWhatWasRecordedInOrder_andForgetsIt() {
        InvocationDurations durations = new InvocationDurations();
        durations.record(3);
        durations.record(1);
        durations.record(2);

        assertThat(durations.drain()).containsExactly(3, 1, 2);
        assertThat(durations.drain()).isEmpty();
    }

    @Test
    void pastItsCapacity_keepsTheMostRecent() {
        InvocationDurations durations = new InvocationDurations();
        for (long i = 0; i < InvocationDurations.CAPACITY + 5; i++) {
            durations.record(i);
        }

        long[] kept = durations.drain();

        assertThat(kept).hasSize(InvocationDurations.CAPACITY);
        assertThat(kept[0]).isEqualTo(5);
        assertThat(kept[kept.length - 1]).isEqualTo(InvocationDurations.CAPACITY + 4L);
    }

    @Test
    void drainWithCpu_keepsEachWallDurationWithItsCpuTime_andDrainForgetsBoth() {
        InvocationDurations durations = new InvocationDurations();
        durations.record(30, 10);
        durations.record(20);

        InvocationDurations.Drained drained = durations.drainWithCpu();

        assertThat(drained.wallNanos()).containsExactly(30, 20);
        assertThat(drained.cpuNanos()).containsExactly(10, InvocationDurations.NOT_MEASURED);
        durations.record(5, 4);
        assertThat(durations.drain()).containsExactly(5);
        assertThat(durations.drainWithCpu().cpuNanos()).isEmpty();
    }
}
