package dev.userapi.core.snapstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Priming hooks run on primeAll (what the benchmark and SnapStart's checkpoint run) and never throw. */
class PrimingTest {
    @Test
    void primeAll_runsEveryHook_andAFailingHookNeverThrows() {
        AtomicInteger calls = new AtomicInteger();
        Priming.register("counting", calls::incrementAndGet);
        Priming.register("failing", () -> {
            throw new IllegalStateException("no such pool");
        });

        int ran = Priming.primeAll();

        assertThat(calls.get()).isEqualTo(1);
        assertThat(ran).isGreaterThanOrEqualTo(2);
    }
}
