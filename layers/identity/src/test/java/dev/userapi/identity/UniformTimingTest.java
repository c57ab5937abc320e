package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The padding's arithmetic on an injected clock: exact waits, whatever the machine's load. */
class UniformTimingTest {
    private static final long FLOOR_NANOS = 150_000_000L;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> waits = new ArrayList<>();
    private final UniformTiming timing = new UniformTiming(Duration.ofNanos(FLOOR_NANOS), now::get, waits::add);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aFastSuccess_waitsExactlyTheRestOfTheFloor() {
        assertThat(timing.run(() -> {
            now.addAndGet(40_000_123L);
            return "done";
        })).isEqualTo("done");

        assertThat(waits).containsExactly(FLOOR_NANOS - 40_000_123L);
    }

    @Test
    void aFailure_waitsTheRestOfTheFloorToo_andIsRethrownUnchanged() {
        assertThatThrownBy(() -> timing.run(() -> {
            now.addAndGet(1_000_000L);
            throw new IllegalStateException("refused");
        })).isInstanceOf(IllegalStateException.class).hasMessage("refused");

        assertThat(waits).containsExactly(FLOOR_NANOS - 1_000_000L);
    }

    @Test
    void anInstantOperation_waitsTheWholeFloor_andARunnableToo() {
        timing.run(() -> { });

        assertThat(waits).containsExactly(FLOOR_NANOS);
    }

    @Test
    void anOperationAtOrBeyondTheFloor_doesNotWait() {
        timing.run(() -> now.addAndGet(FLOOR_NANOS));
        timing.run(() -> now.addAndGet(FLOOR_NANOS + 1));

        assertThat(waits).isEmpty();
    }

    @Test
    void anInterruptedWait_endsEarly_andKeepsTheInterruptFlag() {
        UniformTiming interrupted = new UniformTiming(Duration.ofNanos(FLOOR_NANOS), now::get, nanos -> {
            throw new InterruptedException();
        });

        assertThat(interrupted.run(() -> "answer")).isEqualTo("answer");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void theProductionSleeper_holdsARealCallToAtLeastTheFloor() {
        UniformTiming real = new UniformTiming(Duration.ofMillis(30));
        long started = System.nanoTime();

        real.run(() -> { });

        assertThat(System.nanoTime() - started).as("a lower bound only: load can only add to it").isGreaterThanOrEqualTo(30_000_000L);
    }
}
