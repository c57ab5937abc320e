package dev.userapi.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.problem.ServiceUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DynamoRetryTest {
    private final FakeTime time = new FakeTime();

    @Test
    void pause_withinBudget_waitsTwiceAsLongEachTimeUpTo400Millis() {
        DynamoRetry.Budget budget = time.retry(Duration.ofSeconds(4)).start();

        for (int i = 0; i < 8; i++) {
            assertThat(budget.pause()).isTrue();
        }

        assertThat(time.sleeps()).containsExactly(10L, 20L, 40L, 80L, 160L, 320L, 400L, 400L);
        assertThat(budget.retries()).isEqualTo(8);
    }

    @Test
    void pause_whenTheNextWaitWouldEndPastTheBudget_returnsFalseWithoutWaiting() {
        DynamoRetry.Budget budget = time.retry(Duration.ofSeconds(4)).start();

        int retries = 0;
        while (budget.pause()) {
            retries++;
        }

        // 10+20+40+80+160+320 = 630 ms, then eight waits of 400 ms: 3830 ms; a ninth would end at 4230 ms
        assertThat(retries).isEqualTo(14);
        assertThat(time.sleptMillis()).isEqualTo(3830);
        assertThat(time.sleeps()).hasSize(14);
        assertThat(budget.pause()).isFalse();
        assertThat(time.sleeps()).hasSize(14);
    }

    @Test
    void pause_countsTheTimeSpentBetweenRetriesAgainstTheBudget() {
        DynamoRetry.Budget budget = time.retry(Duration.ofSeconds(4)).start();
        time.advance(Duration.ofMillis(3985)); // slow calls, not waits

        assertThat(budget.pause()).isTrue(); // 10 ms: ends at 3995 ms
        assertThat(budget.pause()).isFalse(); // 20 ms would end at 4015 ms

        assertThat(time.sleeps()).containsExactly(10L);
    }

    @Test
    void start_givesEachOperationABudgetOfItsOwn() {
        DynamoRetry retry = time.retry(Duration.ofMillis(100));
        DynamoRetry.Budget first = retry.start();
        while (first.pause()) {
            // spend it
        }

        DynamoRetry.Budget second = retry.start();

        assertThat(first.pause()).isFalse();
        assertThat(second.pause()).isTrue();
        assertThat(time.sleeps().get(time.sleeps().size() - 1)).isEqualTo(10L);
    }

    @Test
    void pause_drawsEachWaitBetweenHalfAndAllOfItsCap() {
        List<long[]> ranges = new ArrayList<>();
        DynamoRetry retry = new DynamoRetry(Duration.ofSeconds(4), time::nanoTime, time, (min, max) -> {
            ranges.add(new long[] {min, max});
            return min;
        });
        DynamoRetry.Budget budget = retry.start();

        budget.pause();
        budget.pause();
        budget.pause();

        assertThat(ranges).containsExactly(new long[] {5, 10}, new long[] {10, 20}, new long[] {20, 40});
        assertThat(time.sleeps()).containsExactly(5L, 10L, 20L);
    }

    @Test
    void pauseOrGiveUp_whenBudgetSpent_throwsServiceUnavailableWithTheCause() {
        DynamoRetry.Budget budget = time.retry(Duration.ZERO).start();
        RuntimeException cause = new RuntimeException("conflict");

        assertThatThrownBy(() -> budget.pauseOrGiveUp(cause))
                .isInstanceOf(ServiceUnavailableException.class)
                .hasCause(cause);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void pause_whenInterrupted_throwsServiceUnavailableAndKeepsTheInterrupt() {
        DynamoRetry retry = new DynamoRetry(Duration.ofSeconds(4), time::nanoTime, millis -> {
            throw new InterruptedException();
        }, (min, max) -> max);

        try {
            assertThatThrownBy(() -> retry.start().pause()).isInstanceOf(ServiceUnavailableException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
