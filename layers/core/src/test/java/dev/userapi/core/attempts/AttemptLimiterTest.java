package dev.userapi.core.attempts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.problem.TooManyRequestsException;
import dev.userapi.core.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The limiter's decisions and arithmetic on an injected clock, over an in-memory store with DynamoDB's atomicity. */
class AttemptLimiterTest {
    static final String ANN = "ann@example.com";
    static final String IP = "203.0.113.7";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MemoryAttemptStore store = new MemoryAttemptStore();
    private final AttemptLimiter limiter = new AttemptLimiter(store, AttemptPolicy.STANDARD, clock);

    private String wrong(String address, String ip) {
        return limiter.guard(AttemptKind.PASSWORD, address, ip, () -> {
            throw new InvalidCredentialsException();
        });
    }

    private String right(String address, String ip) {
        return limiter.guard(AttemptKind.PASSWORD, address, ip, () -> "tokens");
    }

    private void failTimes(int n, String address, String ip) {
        for (int i = 0; i < n; i++) {
            assertThatThrownBy(() -> wrong(address, ip)).isInstanceOf(InvalidCredentialsException.class);
        }
    }

    private static int retryAfter(Runnable attempt) {
        try {
            attempt.run();
        } catch (TooManyRequestsException e) {
            return e.retryAfterSeconds();
        }
        throw new AssertionError("expected 429");
    }

    @Test
    void b29_fiveWrongPasswords_thenEvenTheRightOneIs429_withRetryAfterAtMost30Seconds() {
        failTimes(5, ANN, IP);

        int retryAfter = retryAfter(() -> right(ANN, IP));

        assertThat(retryAfter).isBetween(1, 30);
        assertThat(retryAfter).isEqualTo(30);
        clock.advance(Duration.ofSeconds(12));
        assertThat(retryAfter(() -> right(ANN, IP))).as("counts down from the stored failure time").isEqualTo(18);
    }

    @Test
    void b29_fourWrongPasswords_thenTheRightOne_passes_andResetsTheCount() {
        failTimes(4, ANN, IP);

        assertThat(right(ANN, IP)).isEqualTo("tokens");

        failTimes(4, ANN, IP);
        assertThat(right(ANN, IP)).as("the count started again after the success").isEqualTo("tokens");
    }

    @Test
    void b29_windowsDouble_fromThirtySeconds_upToFifteenMinutes() {
        failTimes(5, ANN, IP);
        List<Integer> windows = new ArrayList<>();
        windows.add(retryAfter(() -> right(ANN, IP)));
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofSeconds(windows.get(windows.size() - 1)));
            failTimes(1, ANN, IP);
            windows.add(retryAfter(() -> right(ANN, IP)));
        }

        assertThat(windows).containsExactly(30, 60, 120, 240, 480, 900, 900, 900);
    }

    @Test
    void b29_duringAWindow_attemptsAreNotEvaluated_andDoNotCount() {
        failTimes(5, ANN, IP);
        AtomicInteger evaluated = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> limiter.guard(AttemptKind.PASSWORD, ANN, IP, () -> evaluated.incrementAndGet()))
                    .isInstanceOf(TooManyRequestsException.class);
        }
        clock.advance(Duration.ofSeconds(30));

        assertThat(evaluated).hasValue(0);
        assertThat(right(ANN, IP)).as("refused attempts did not lengthen the window").isEqualTo("tokens");
    }

    @Test
    void b29_perAddress_fromAnySource_afterTwentyFailures_evenANewSourceWithTheRightPasswordIs429() {
        for (int source = 0; source < 10; source++) {
            failTimes(2, ANN, "198.51.100." + source);
        }

        int retryAfter = retryAfter(() -> right(ANN, "192.0.2.99"));

        assertThat(retryAfter).isEqualTo(30);
        assertThat(right("bob@example.com", "192.0.2.99")).as("other addresses are not affected").isEqualTo("tokens");
    }

    @Test
    void b29_onePairsLimit_leavesOtherSourcesOfTheSameAddressAlone() {
        failTimes(5, ANN, IP);

        assertThat(retryAfter(() -> right(ANN, IP))).isEqualTo(30);
        assertThat(right(ANN, "192.0.2.1")).isEqualTo("tokens");
    }

    @Test
    void b29_kindsCountSeparately_aRightPasswordDoesNotResetWrongMfaCodes() {
        for (int i = 0; i < 5; i++) {
            right(ANN, IP);
            assertThatThrownBy(() -> limiter.guard(AttemptKind.MFA_CODE, ANN, IP, () -> {
                throw CodeMismatchException.atLogin();
            })).isInstanceOf(CodeMismatchException.class);
        }

        assertThat(right(ANN, IP)).isEqualTo("tokens");
        assertThatThrownBy(() -> limiter.guard(AttemptKind.MFA_CODE, ANN, IP, () -> "tokens"))
                .isInstanceOf(TooManyRequestsException.class);
    }

    @Test
    void b29_addressesAreComparedWithoutCase_andUnknownAddressesCountAlike() {
        failTimes(5, "Nobody@Example.com", IP);

        assertThat(retryAfter(() -> right("nobody@example.com", IP))).isEqualTo(30);
    }

    @Test
    void b29_failuresAreForgottenADayAfterTheLastOne_fromTheStoredTimestamp() {
        failTimes(4, ANN, IP);
        clock.advance(Duration.ofDays(1));

        failTimes(4, ANN, IP);

        assertThat(right(ANN, IP)).as("four old failures plus four new ones do not make five").isEqualTo("tokens");
    }

    @Test
    void happyPath_isOneRead_andNoWrite() {
        assertThat(right(ANN, IP)).isEqualTo("tokens");
        assertThat(right(ANN, IP)).isEqualTo("tokens");

        assertThat(store.reads()).isEqualTo(2);
        assertThat(store.writes()).isZero();
    }

    @Test
    void aFailure_isOneWrite_andASuccessAfterIt_reservesThenResets() {
        failTimes(1, ANN, IP);
        assertThat(store.writes()).isEqualTo(1);

        right(ANN, IP);

        assertThat(store.writes()).isEqualTo(3);
        assertThat(store.get(AttemptLimiter.addressKey(AttemptKind.PASSWORD, ANN), AttemptRepository.ANY)).isEqualTo(AttemptCounter.NONE);
    }

    @Test
    void anOutcomeThatIsNeitherSuccessNorWrongGuess_leavesTheCountAsItWas() {
        failTimes(4, ANN, IP);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> limiter.guard(AttemptKind.PASSWORD, ANN, IP, () -> {
                throw new ServiceUnavailableException("down");
            })).isInstanceOf(ServiceUnavailableException.class);
        }

        assertThat(store.get(AttemptLimiter.addressKey(AttemptKind.PASSWORD, ANN), AttemptLimiter.sourceKey(IP)).failures()).isEqualTo(4);
        assertThat(right(ANN, IP)).isEqualTo("tokens");
    }

    @Test
    void b29_parallelGuesses_afterAFailure_getExactlyTheAttemptsLeft() throws Exception {
        failTimes(1, ANN, IP);
        AtomicInteger evaluated = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        limiter.guard(AttemptKind.PASSWORD, ANN, IP, () -> {
                            evaluated.incrementAndGet();
                            throw new InvalidCredentialsException();
                        });
                        return 200;
                    } catch (ApiException e) {
                        return e.status();
                    }
                }));
            }
            start.countDown();
            int refused = 0;
            for (Future<Integer> f : results) {
                refused += f.get(30, TimeUnit.SECONDS) == 429 ? 1 : 0;
            }
            assertThat(evaluated).as("five failures in all: one before, four in parallel").hasValue(4);
            assertThat(refused).isEqualTo(36);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void policyArithmetic() {
        AttemptPolicy p = AttemptPolicy.STANDARD;
        assertThat(p.windowMillis(4, 5)).isZero();
        assertThat(p.windowMillis(5, 5)).isEqualTo(30_000);
        assertThat(p.windowMillis(6, 5)).isEqualTo(60_000);
        assertThat(p.windowMillis(20, 20)).isEqualTo(30_000);
        assertThat(p.windowMillis(1_000_000, 5)).isEqualTo(900_000);
        assertThat(AttemptPolicy.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(AttemptPolicy.retryAfterSeconds(30_000)).isEqualTo(30);
        assertThat(AttemptPolicy.retryAfterSeconds(30_001)).isEqualTo(31);
        assertThatThrownBy(() -> new AttemptPolicy(5, 4, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
