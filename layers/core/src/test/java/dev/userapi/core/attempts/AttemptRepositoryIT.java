package dev.userapi.core.attempts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.aws.DynamoRetry;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.TooManyRequestsException;
import dev.userapi.core.testing.DynamoDbLocalExtension;
import dev.userapi.core.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The attempt counters in DynamoDB Local: items, timestamps, TTL, and concurrent guesses. */
class AttemptRepositoryIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();
    static final String ANN = "ann@example.com";
    static final String IP = "203.0.113.7";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private String table;
    private AttemptRepository store;
    private AttemptLimiter limiter;

    @BeforeEach
    void newTable() {
        table = DYNAMO.newUsersTable();
        DynamoRetry patient = new DynamoRetry(Duration.ofSeconds(60), System::nanoTime, Thread::sleep,
                (min, max) -> ThreadLocalRandom.current().nextLong(min, max + 1));
        store = new AttemptRepository(DYNAMO.client(), table, patient);
        limiter = new AttemptLimiter(store, AttemptPolicy.STANDARD, clock);
    }

    private void wrong() {
        assertThatThrownBy(() -> limiter.guard(AttemptKind.PASSWORD, ANN, IP, () -> {
            throw new InvalidCredentialsException();
        })).isInstanceOf(InvalidCredentialsException.class);
    }

    private Map<String, AttributeValue> item(String sort) {
        var r = DYNAMO.client().getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS(AttemptLimiter.addressKey(AttemptKind.PASSWORD, ANN)), "sk", AttributeValue.fromS(sort))));
        return r.hasItem() ? r.item() : Map.of();
    }

    @Test
    void b29_fiveFailures_areStoredWithTheirTimestamp_andRefuseTheRightPassword() {
        for (int i = 0; i < 5; i++) {
            wrong();
        }

        Map<String, AttributeValue> pair = item(AttemptLimiter.sourceKey(IP));
        assertThat(pair.get("failures").n()).isEqualTo("5");
        assertThat(pair.get("lastFailureAt").n()).isEqualTo(String.valueOf(clock.millis()));
        assertThat(Long.parseLong(pair.get("expiresAt").n())).as("TTL only cleans up, after the day of forgetting")
                .isGreaterThan(clock.instant().plus(Duration.ofDays(1)).getEpochSecond());
        assertThat(item(AttemptRepository.ANY).get("failures").n()).isEqualTo("5");
        assertThat(pair.keySet()).as("neither address nor IP is stored in the clear").doesNotContain("email", "address", "ip");
        assertThatThrownBy(() -> limiter.guard(AttemptKind.PASSWORD, ANN, IP, () -> "tokens"))
                .isInstanceOfSatisfying(TooManyRequestsException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(30));
    }

    /** A session's tries: counted up to the maximum, then refused without a write; no account attribute on the item. */
    @Test
    void aSessionsTries_stopAtTheMaximum_inAnItemWithoutUserId() {
        long expires = clock.instant().plus(Duration.ofMinutes(4)).getEpochSecond();
        List<Boolean> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(limiter.countSessionTry(AttemptKind.EMAIL_CODE, "sealed-session", 3, expires));
        }

        assertThat(answers).containsExactly(true, true, true, false, false);
        var items = DYNAMO.client().scan(b -> b.tableName(table).consistentRead(true)).items();
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.get("pk").s()).startsWith("ATTEMPTS#EMAIL_CODE#SESSION#").doesNotContain("sealed-session");
            assertThat(item.get("sk").s()).isEqualTo(AttemptRepository.TRIES);
            assertThat(item.get("tries").n()).isEqualTo("3");
            assertThat(item.get("expiresAt").n()).isEqualTo(String.valueOf(expires));
            assertThat(item).as("the sparse SessionsByUser index lists any item with a userId").doesNotContainKey("userId");
        });
        assertThat(limiter.countSessionTry(AttemptKind.EMAIL_CODE, "another-session", 3, expires)).as("per session").isTrue();
    }

    @Test
    void b29_aSuccess_removesBothCounters() {
        wrong();
        wrong();

        assertThat(limiter.guard(AttemptKind.PASSWORD, ANN, IP, () -> "tokens")).isEqualTo("tokens");

        assertThat(item(AttemptLimiter.sourceKey(IP))).doesNotContainKey("failures");
        assertThat(item(AttemptRepository.ANY)).doesNotContainKey("failures");
    }

    @Test
    void b29_aForgottenCounter_startsAgainAtOne() {
        wrong();
        wrong();
        clock.advance(Duration.ofDays(1));

        wrong();

        assertThat(item(AttemptLimiter.sourceKey(IP)).get("failures").n()).isEqualTo("1");
    }

    @Test
    void b29_parallelFailuresOnCleanCounters_areAllCounted() throws Exception {
        AtomicInteger evaluated = new AtomicInteger();
        AtomicInteger source = new AtomicInteger();
        runInParallel(12, () -> limiter.guard(AttemptKind.PASSWORD, ANN, "198.51.100." + source.incrementAndGet(), () -> {
            evaluated.incrementAndGet();
            throw new InvalidCredentialsException();
        }));

        long counted = Long.parseLong(item(AttemptRepository.ANY).get("failures").n());
        assertThat(counted).as("no lost update: every evaluated failure counts once").isEqualTo(evaluated.get());
        assertThat(counted).isPositive();
    }

    @Test
    void b29_parallelGuesses_afterAFailure_getExactlyTheAttemptsLeft() throws Exception {
        wrong();
        AtomicInteger evaluated = new AtomicInteger();

        List<Integer> statuses = runInParallel(30, () -> limiter.guard(AttemptKind.PASSWORD, ANN, IP, () -> {
            evaluated.incrementAndGet();
            throw new InvalidCredentialsException();
        }));

        assertThat(evaluated).as("one failure before, four in parallel: five in all").hasValue(4);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(26);
        assertThat(item(AttemptLimiter.sourceKey(IP)).get("failures").n()).isEqualTo("5");
    }

    private static List<Integer> runInParallel(int n, Runnable attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 12));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        attempt.run();
                        return 200;
                    } catch (ApiException e) {
                        return e.status();
                    }
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get(120, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
