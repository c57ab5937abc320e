package dev.userapi.core.user;

import static dev.userapi.core.user.UserRepositoryIT.CLOCK;
import static dev.userapi.core.user.UserRepositoryIT.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.aws.DynamoRetry;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.testing.DynamoDbLocalExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The last <em>enabled</em> administrator (issue 16, finding 5): disable, delete and demote all respect the count, also racing. */
class EnabledAdminsIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();
    static final List<String> ROLES = List.of("user", "admin", "support");

    private String table;
    private UserRepository users;

    @BeforeEach
    void newTable() {
        table = DYNAMO.newUsersTable();
        DynamoRetry patient = new DynamoRetry(Duration.ofSeconds(60), System::nanoTime, Thread::sleep,
                (min, max) -> ThreadLocalRandom.current().nextLong(min, max + 1));
        users = new UserRepository(DYNAMO.client(), table, ROLES, CLOCK, patient);
        users.createIfAbsent(profile("a", "a@example.com", "user", "admin"));
    }

    @Test
    void b16_promoteB_disableB_thenADemotingItself_isAConflict() {
        users.createIfAbsent(profile("b", "b@example.com", "user"));
        users.replaceRoles("b", List.of("user", "admin"));
        assertThat(users.adminCount()).isEqualTo(2);

        users.setStatus("b", UserStatus.DISABLED);

        assertThat(users.adminCount()).as("a disabled administrator does not count").isEqualTo(1);
        assertThatThrownBy(() -> users.replaceRoles("a", List.of("user"))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> users.delete("a")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> users.setStatus("a", UserStatus.DISABLED)).isInstanceOf(ConflictException.class);
        assertThat(users.find("a").orElseThrow().roles()).contains("admin");
        assertThat(users.find("a").orElseThrow().status()).isEqualTo(UserStatus.ENABLED);
    }

    @Test
    void b16_enablingADisabledAdministrator_countsItAgain_andThenTheOtherMayGo() {
        users.createIfAbsent(profile("b", "b@example.com", "user", "admin"));
        users.setStatus("b", UserStatus.DISABLED);

        users.setStatus("b", UserStatus.ENABLED);

        assertThat(users.adminCount()).isEqualTo(2);
        users.replaceRoles("a", List.of("user"));
        assertThat(users.adminCount()).isEqualTo(1);
    }

    @Test
    void b16_rolesOfADisabledAdministrator_changeWithoutTouchingTheCount() {
        users.createIfAbsent(profile("b", "b@example.com", "user", "admin"));
        users.setStatus("b", UserStatus.DISABLED);

        users.replaceRoles("b", List.of("user"));
        assertThat(users.adminCount()).isEqualTo(1);
        users.replaceRoles("b", List.of("user", "admin"));
        assertThat(users.adminCount()).isEqualTo(1);
        users.delete("b");

        assertThat(users.adminCount()).as("deleting a disabled administrator leaves the count").isEqualTo(1);
    }

    @RepeatedTest(3)
    void b16_twoAdministratorsDisablingAndDemotingEachOtherAtOnce_leaveOneEnabledAdministrator() throws Exception {
        users.createIfAbsent(profile("b", "b@example.com", "user", "admin"));
        List<Callable<Object>> moves = List.of(
                () -> users.setStatus("b", UserStatus.DISABLED),
                () -> users.replaceRoles("a", List.of("user")),
                () -> users.setStatus("a", UserStatus.DISABLED),
                () -> users.replaceRoles("b", List.of("user")));

        int succeeded = race(moves);

        long enabledAdmins = List.of("a", "b").stream().map(id -> users.find(id).orElseThrow())
                .filter(p -> p.status() == UserStatus.ENABLED && p.hasRole("admin")).count();
        assertThat(enabledAdmins).isEqualTo(1);
        assertThat(users.adminCount()).isEqualTo(1);
        assertThat(succeeded).isBetween(1, 2);
    }

    @Test
    void upgrade_fromTheCountOfEveryAdministrator_startsTheEnabledCountFromTheProfiles() {
        users.createIfAbsent(profile("b", "b@example.com", "user", "admin"));
        users.setStatus("b", UserStatus.DISABLED);
        // the first release's data: its count item (disabled administrators included), no enabled count yet
        DYNAMO.client().deleteItem(r -> r.tableName(table).key(UserItems.ADMIN_COUNTER));
        DYNAMO.client().putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("META"),
                "sk", AttributeValue.fromS("ADMINS"), "count", AttributeValue.fromN("2"))));

        assertThatThrownBy(() -> users.replaceRoles("a", List.of("user"))).isInstanceOf(ConflictException.class);

        assertThat(users.adminCount()).isEqualTo(1);
    }

    private static int race(List<Callable<Object>> moves) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(moves.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (Callable<Object> move : moves) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        move.call();
                        return true;
                    } catch (ConflictException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int ok = 0;
            for (Future<Boolean> f : futures) {
                ok += f.get(120, TimeUnit.SECONDS) ? 1 : 0;
            }
            return ok;
        } finally {
            pool.shutdownNow();
        }
    }
}
