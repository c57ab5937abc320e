package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UniformTimingTest {
    private final UniformTiming timing = new UniformTiming(Duration.ofMillis(150));

    @Test
    void fastSuccesses_areHeldToTheFloor() {
        long started = System.nanoTime();
        assertThat(timing.run(() -> "done")).isEqualTo("done");
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(150_000_000L);
    }

    @Test
    void failures_areHeldToTheFloorToo() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> timing.run(() -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(150_000_000L);
    }
}
