package dev.userapi.core.user;

import static dev.userapi.core.user.UserRepositoryIT.CLOCK;
import static dev.userapi.core.user.UserRepositoryIT.T0;
import static dev.userapi.core.user.UserRepositoryIT.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.aws.DynamoRetry;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.testing.DynamoDbLocalExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
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

/** Roles, role memberships and the administrator count against DynamoDB Local, also under concurrency. */
class UserRolesIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();
    static final List<String> ROLES = List.of("user", "admin", "support");

    private String table;
    private UserRepository users;

    @BeforeEach
    void newTable() {
        table = DYNAMO.newUsersTable();
        // A budget no loaded test machine exhausts: the concurrent tests assert the outcomes of the
        // transactions' logic, not how long retries may take (DynamoRetryTest covers the budget).
        DynamoRetry patient = new DynamoRetry(Duration.ofSeconds(60), System::nanoTime, Thread::sleep,
                (min, max) -> ThreadLocalRandom.current().nextLong(min, max + 1));
        users = new UserRepository(DYNAMO.client(), table, ROLES, CLOCK, patient);
    }

    @Test
    void createIfAbsent_withAdmin_countsTheAdministratorAndWritesEveryMembership() {
        users.createIfAbsent(profile("a1", "ann@example.com", "user", "admin"));
        users.createIfAbsent(profile("u1", "bob@example.com", "user"));

        assertThat(users.adminCount()).isEqualTo(1);
        assertThat(memberships()).isEqualTo(Map.of("a1", List.of("admin", "user"), "u1", List.of("user")));
    }

    @Test
    void adminCount_whenNoAdministratorWasEverCreated_isZero() {
        assertThat(users.adminCount()).isZero();
    }

    @Test
    void replaceRoles_addingAdmin_countsItRevokesTokensAndIncrementsVersion() {
        users.createIfAbsent(profile("a1", "ann@example.com", "user", "admin"));
        users.createIfAbsent(profile("u1", "bob@example.com", "user"));

        UserProfile promoted = users.replaceRoles("u1", List.of("admin", "user", "admin"));

        assertThat(promoted.roles()).containsExactly("admin", "user");
        assertThat(promoted.version()).isEqualTo(2);
        assertThat(promoted.updatedAt()).isEqualTo(T0);
        assertThat(users.adminCount()).isEqualTo(2);
        UserRecord record = users.findRecord("u1").orElseThrow();
        assertThat(record.revokedBeforeMillis()).hasValue(T0.toEpochMilli());
        assertThat(record.sessionsRevokedBeforeMillis()).as("a role change keeps sessions: the client refreshes").isEmpty();
        assertThat(memberships().get("u1")).containsExactly("admin", "user");
    }

    @Test
    void replaceRoles_removingAdminWhileAnotherRemains_decrementsTheCount() {
        users.createIfAbsent(profile("a1", "ann@example.com", "user", "admin"));
        users.createIfAbsent(profile("a2", "bob@example.com", "user", "admin"));

        users.replaceRoles("a1", List.of("user"));

        assertThat(users.adminCount()).isEqualTo(1);
        assertThat(memberships()).isEqualTo(Map.of("a1", List.of("user"), "a2", List.of("admin", "user")));
    }

    @Test
    void replaceRoles_withoutChangingAdmin_keepsTheCountAndReplacesMemberships() {
        users.createIfAbsent(profile("a1", "ann@example.com", "user", "admin"));
        users.createIfAbsent(profile("u1", "bob@example.com", "user"));

        users.replaceRoles("u1", List.of("support"));

        assertThat(users.adminCount()).isEqualTo(1);
        assertThat(memberships().get("u1")).containsExactly("support");
        assertThat(users.find("u1").orElseThrow().roles()).containsExactly("support");
    }

    @Test
    void setRoles_whenLastAdminRemoved_throwsConflictAndChangesNothing() {
        users.createIfAbsent(profile("a1", "ann@example.com", "user", "admin"));

        assertThatThrownBy(() -> users.replaceRoles("a1", List.of("user")))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("last administrator");

        UserProfile unchanged = users.find("a1").orElseThrow();
        assertThat(unchanged.roles()).containsExactly("admin", "user");
        assertThat(unchanged.version()).isEqualTo(1);
        assertThat(users.findRecord("a1").orElseThrow().revokedBeforeMillis()).isEmpty();
        assertThat(users.adminCount()).isEqualTo(1);
        assertThat(memberships().get("a1")).containsExactly("admin", "user");
    }

    @Test
    void delete_whenLastAdmin_throwsConflictAndKeepsTheProfile() {
        users.createIfAbsent(profile("a1", "ann@example.com", "user", "admin"));

        assertThatThrownBy(() -> users.delete("a1")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("last administrator");

        assertThat(users.find("a1")).isPresent();
        assertThat(users.adminCount()).isEqualTo(1);
        assertThat(memberships().get("a1")).containsExactly("admin", "user");
    }

    @Test
    void delete_anAdministratorWhileAnotherRemains_decrementsTheCount() {
        users.createIfAbsent(profile("a1", "ann@example.com", "user", "admin"));
        users.createIfAbsent(profile("a2", "bob@example.com", "user", "admin"));

        users.delete("a2");

        assertThat(users.adminCount()).isEqualTo(1);
        assertThat(memberships()).isEqualTo(Map.of("a1", List.of("admin", "user")));
    }

    @Test
    void replaceRoles_whenNoProfile_throwsUserNotFound() {
        assertThatThrownBy(() -> users.replaceRoles("nobody", List.of("user"))).isInstanceOf(UserNotFoundException.class);
        assertThat(memberships()).isEmpty();
    }

    /**
     * Every administrator demotes another one (or deletes them) at the same moment: DynamoDB serialises
     * the transactions, so exactly all but one succeed and the rest are refused as the last
     * administrator, and the count equals the administrators that are left.
     */
    @RepeatedTest(3)
    void setRoles_whenAllAdminsAreRemovedConcurrently_exactlyOneAdminRemains() throws Exception {
        int admins = 4;
        for (int i = 0; i < admins; i++) {
            users.createIfAbsent(profile("a" + i, "admin" + i + "@example.com", "user", "admin"));
        }
        List<Callable<Object>> changes = new ArrayList<>();
        for (int i = 0; i < admins; i++) {
            String id = "a" + i;
            changes.add(i % 2 == 0 ? () -> users.replaceRoles(id, List.of("user")) : () -> {
                users.delete(id);
                return null;
            });
        }

        List<Throwable> outcomes = race(changes);

        assertThat(outcomes).filteredOn(o -> o == null).hasSize(admins - 1);
        assertThat(outcomes).filteredOn(o -> o != null).singleElement()
                .isInstanceOf(ConflictException.class)
                .extracting(Throwable::getMessage).asString().contains("last administrator");
        assertThat(users.adminCount()).isEqualTo(1);
        assertConsistent();
        assertThat(liveProfiles().values()).filteredOn(p -> p.hasRole("admin")).hasSize(1);
    }

    /** Several threads set different roles on the same users at once: the count always matches the profiles. */
    @RepeatedTest(3)
    void replaceRoles_concurrentOnTheSameUsers_keepsCountAndMembershipsConsistent() throws Exception {
        users.createIfAbsent(profile("a0", "keeper@example.com", "user", "admin"));
        users.createIfAbsent(profile("u1", "one@example.com", "user"));
        users.createIfAbsent(profile("u2", "two@example.com", "user", "admin"));
        List<Callable<Object>> changes = new ArrayList<>();
        List<List<String>> roleSets = List.of(List.of("user", "admin"), List.of("user"), List.of("support"),
                List.of("admin", "support"));
        for (int i = 0; i < 8; i++) {
            String id = i % 2 == 0 ? "u1" : "u2";
            List<String> roles = roleSets.get(i % roleSets.size());
            changes.add(() -> users.replaceRoles(id, roles));
        }

        List<Throwable> outcomes = race(changes);

        // a0 is an administrator throughout, so no change can be the last administrator's removal
        assertThat(outcomes).containsOnlyNulls();
        assertConsistent();
        assertThat(users.find("a0").orElseThrow().hasRole("admin")).isTrue();
    }

    /** The count equals the live administrators and every live profile's memberships equal its roles. */
    private void assertConsistent() {
        Map<String, UserProfile> live = liveProfiles();
        assertThat(users.adminCount()).isEqualTo(live.values().stream().filter(p -> p.hasRole("admin")).count());
        Map<String, List<String>> expected = new TreeMap<>();
        live.values().forEach(p -> expected.put(p.id(), p.roles()));
        assertThat(memberships()).isEqualTo(expected);
    }

    /** Runs the calls at once on threads of their own; null for each that returned, else what it threw. */
    private static List<Throwable> race(List<Callable<Object>> calls) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch ready = new CountDownLatch(calls.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> call : calls) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.call();
                }));
            }
            ready.await();
            go.countDown();
            List<Throwable> outcomes = new ArrayList<>();
            for (Future<Object> future : futures) {
                try {
                    future.get(2, TimeUnit.MINUTES);
                    outcomes.add(null);
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("a call did not finish", e);
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, UserProfile> liveProfiles() {
        Map<String, UserProfile> live = new TreeMap<>();
        for (Map<String, AttributeValue> item : scan()) {
            if (item.get("sk").s().equals("PROFILE") && !UserItems.isTombstone(item)) {
                UserProfile p = UserItems.toProfile(item);
                live.put(p.id(), p);
            }
        }
        return live;
    }

    /** Role membership items by user id, roles sorted. */
    private Map<String, List<String>> memberships() {
        Map<String, TreeSet<String>> byUser = new TreeMap<>();
        for (Map<String, AttributeValue> item : scan()) {
            if (item.get("sk").s().startsWith("ROLE#")) {
                String role = item.get("sk").s().substring("ROLE#".length());
                assertThat(item.get("role").s()).isEqualTo(role);
                String sortKey = item.get("gsi1sk").s();
                assertThat(item.get("gsi1pk").s()).isEqualTo(
                        "ROLE#" + role + "#" + UserItems.shard(sortKey.substring(0, sortKey.lastIndexOf('#'))));
                byUser.computeIfAbsent(item.get("id").s(), k -> new TreeSet<>()).add(role);
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        byUser.forEach((id, roles) -> out.put(id, List.copyOf(roles)));
        return out;
    }

    private List<Map<String, AttributeValue>> scan() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        DYNAMO.client().scanPaginator(r -> r.tableName(table).consistentRead(true)).items().forEach(items::add);
        return items;
    }
}
