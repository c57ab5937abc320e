package dev.userapi.core.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.aws.DynamoRetry;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.GoneException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.testing.DynamoDbLocalExtension;
import dev.userapi.core.user.Page;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Organizations, memberships and invitations against DynamoDB Local: the last-owner guard and single-use invitations, also racing. */
class OrgRepositoryIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();
    static final Instant T0 = Instant.parse("2030-01-02T03:04:05.678Z");

    private String table;
    private OrgRepository orgs;
    private UserRepository users;
    private ExecutorService pool;

    @BeforeEach
    void newTable() {
        table = DYNAMO.newUsersTable();
        DynamoRetry patient = new DynamoRetry(Duration.ofSeconds(60), System::nanoTime, Thread::sleep,
                (min, max) -> ThreadLocalRandom.current().nextLong(min, max + 1));
        orgs = new OrgRepository(DYNAMO.client(), table, patient);
        users = new UserRepository(DYNAMO.client(), table, List.of("user", "admin"), Clock.fixed(T0, ZoneOffset.UTC));
        for (String id : List.of("a", "b", "c")) {
            users.createIfAbsent(new UserProfile(id, id + "@example.com", "Name " + id, "en", null, null, List.of("user"),
                    UserStatus.ENABLED, false, T0, T0, 1));
        }
        pool = Executors.newFixedThreadPool(10);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private Invitation invite(String orgId, String id, String email, OrgRole role, Instant validUntil, String token) {
        Invitation inv = new Invitation(id, orgId, email, role, T0, validUntil, Invitation.PENDING, "a");
        orgs.createInvitation(inv, OrgItems.tokenHash(token), null);
        return inv;
    }

    private void join(String orgId, String userId, OrgRole role) {
        Invitation inv = invite(orgId, "inv-" + userId, userId + "@example.com", role, T0.plus(Duration.ofDays(7)), "tok-" + orgId + userId);
        orgs.accept(inv, userId, T0);
    }

    @Test
    void create_makesTheCreatorTheOnlyOwner_listedBothWays() {
        orgs.create("o1", "Acme", "a", T0);

        Access access = orgs.access("o1", "a").orElseThrow();
        assertThat(access.org()).isEqualTo(new Org("o1", "Acme", T0, 1, 1));
        assertThat(access.membership().orElseThrow().role()).isEqualTo(OrgRole.OWNER);
        assertThat(orgs.access("o1", "b").orElseThrow().membership()).isEmpty();
        assertThat(orgs.access("nope", "a")).isEmpty();
        assertThat(orgs.orgsOf("a", 10, Optional.empty()).items()).extracting(e -> e.getValue().name()).containsExactly("Acme");
        assertThat(orgs.members("o1", 10, Optional.empty(), "a").items())
                .extracting(m -> m.membership().userId() + " " + m.email() + " " + m.name()).containsExactly("a a@example.com Name a");
    }

    @Test
    void b35_theLastOwner_cannotBeDemotedOrRemoved_butAfterAnotherOwnerJoins_canLeave() {
        orgs.create("o1", "Acme", "a", T0);
        assertThatThrownBy(() -> orgs.changeRole("o1", "a", OrgRole.ADMIN)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> orgs.removeMember("o1", "a")).isInstanceOf(ConflictException.class);

        join("o1", "b", OrgRole.MEMBER);
        orgs.changeRole("o1", "b", OrgRole.MEMBER, OrgRole.OWNER, new OrgRepository.Actor("a", OrgRole.OWNER));
        orgs.removeMember("o1", "a");

        Org org = orgs.find("o1").orElseThrow();
        assertThat(org.owners()).isEqualTo(1);
        assertThat(org.memberCount()).isEqualTo(1);
        assertThat(orgs.orgsOf("a", 10, Optional.empty()).items()).isEmpty();
    }

    @Test
    void b35_anActorWhoseRoleChangedMeanwhile_cannotAct() {
        orgs.create("o1", "Acme", "a", T0);
        join("o1", "b", OrgRole.ADMIN);
        join("o1", "c", OrgRole.MEMBER);
        orgs.changeRole("o1", "b", OrgRole.ADMIN, OrgRole.MEMBER, new OrgRepository.Actor("a", OrgRole.OWNER));

        assertThatThrownBy(() -> orgs.removeMember("o1", "c", OrgRole.MEMBER, new OrgRepository.Actor("b", OrgRole.ADMIN)))
                .isInstanceOf(ConflictException.class);
        assertThat(orgs.membership("o1", "c")).isPresent();
    }

    @Test
    void b35_aMemberPromotedToOwnerAfterAnAdminWasAuthorizedAgainstTheirOldRole_cannotBeDemotedOrRemovedByThatAdmin() {
        orgs.create("o1", "Acme", "a", T0);
        join("o1", "b", OrgRole.ADMIN);
        join("o1", "c", OrgRole.ADMIN);
        OrgRepository.Actor admin = new OrgRepository.Actor("b", OrgRole.ADMIN);
        OrgRole authorizedAs = orgs.membership("o1", "c").orElseThrow().role(); // what OrgService checked the owner-only rule against
        orgs.changeRole("o1", "c", OrgRole.ADMIN, OrgRole.OWNER, new OrgRepository.Actor("a", OrgRole.OWNER)); // meanwhile

        assertThatThrownBy(() -> orgs.changeRole("o1", "c", authorizedAs, OrgRole.MEMBER, admin)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> orgs.removeMember("o1", "c", authorizedAs, admin)).isInstanceOf(ConflictException.class);
        assertThat(orgs.membership("o1", "c").orElseThrow().role()).isEqualTo(OrgRole.OWNER);
        assertThat(orgs.find("o1").orElseThrow().owners()).isEqualTo(2);
        assertThatThrownBy(() -> orgs.removeMember("o1", "c", null, admin)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void b35_anInvitationIsNotCreated_byAnAdminRemovedOrDemotedAfterTheyWereAuthorized() {
        orgs.create("o1", "Acme", "a", T0);
        join("o1", "b", OrgRole.ADMIN);
        OrgRepository.Actor admin = new OrgRepository.Actor("b", OrgRole.ADMIN);
        orgs.changeRole("o1", "b", OrgRole.ADMIN, OrgRole.MEMBER, new OrgRepository.Actor("a", OrgRole.OWNER)); // meanwhile

        Invitation inv = new Invitation("i1", "o1", "x@example.com", OrgRole.ADMIN, T0, T0.plus(Duration.ofDays(7)), Invitation.PENDING, "b");
        assertThatThrownBy(() -> orgs.createInvitation(inv, OrgItems.tokenHash("x"), admin)).isInstanceOf(ConflictException.class);
        assertThat(orgs.invitations("o1")).extracting(Invitation::id).doesNotContain("i1");
        assertThat(orgs.invitationByTokenHash(OrgItems.tokenHash("x"))).isEmpty();
        orgs.createInvitation(inv, OrgItems.tokenHash("x"), new OrgRepository.Actor("a", OrgRole.OWNER));
        assertThat(orgs.invitationByTokenHash(OrgItems.tokenHash("x"))).isPresent();
    }

    @Test
    void b35_twoOwnersDemotingEachOtherConcurrently_neverLeaveNoOwner() throws Exception {
        for (int round = 0; round < 5; round++) {
            String org = "race" + round;
            orgs.create(org, "Race", "a", T0);
            join(org, "b", OrgRole.OWNER);
            List<Callable<Object>> calls = List.of(
                    () -> orgs.changeRole(org, "b", OrgRole.OWNER, OrgRole.MEMBER, new OrgRepository.Actor("a", OrgRole.OWNER)),
                    () -> orgs.changeRole(org, "a", OrgRole.OWNER, OrgRole.MEMBER, new OrgRepository.Actor("b", OrgRole.OWNER)));
            long succeeded = race(calls);
            assertThat(succeeded).isEqualTo(1);
            assertThat(orgs.find(org).orElseThrow().owners()).isEqualTo(1);
            long owners = orgs.members(org, 10, Optional.empty(), "a").items().stream()
                    .filter(m -> m.membership().role() == OrgRole.OWNER).count();
            assertThat(owners).isEqualTo(1);
        }
    }

    @Test
    void b35_twoOwnersLeavingConcurrently_oneStays() throws Exception {
        orgs.create("o1", "Acme", "a", T0);
        join("o1", "b", OrgRole.OWNER);

        long succeeded = race(List.of(() -> {
            orgs.removeMember("o1", "a");
            return null;
        }, () -> {
            orgs.removeMember("o1", "b");
            return null;
        }));

        assertThat(succeeded).isEqualTo(1);
        assertThat(orgs.find("o1").orElseThrow().owners()).isEqualTo(1);
        assertThat(orgs.members("o1", 10, Optional.empty(), "a").items()).hasSize(1);
    }

    @Test
    void b35_tenParallelAccepts_ofOneInvitation_exactlyOneWins() throws Exception {
        orgs.create("o1", "Acme", "a", T0);
        Invitation inv = invite("o1", "i1", "b@example.com", OrgRole.ADMIN, T0.plus(Duration.ofDays(7)), "secret");
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> orgs.accept(inv, "b", T0));
        }

        assertThat(race(calls)).isEqualTo(1);
        assertThat(orgs.invitation("o1", "i1").orElseThrow().status()).isEqualTo(Invitation.ACCEPTED);
        assertThat(orgs.find("o1").orElseThrow().memberCount()).isEqualTo(2);
        assertThatThrownBy(() -> orgs.accept(inv, "c", T0)).isInstanceOf(GoneException.class);
    }

    @Test
    void b35_anInvitationIsFoundByItsTokensHashOnly_andExpiredOrRevokedOnesCannotBeAccepted() {
        orgs.create("o1", "Acme", "a", T0);
        Invitation expiring = invite("o1", "i1", "b@example.com", OrgRole.MEMBER, T0.plusSeconds(60), "token-1");
        Invitation revoked = invite("o1", "i2", "c@example.com", OrgRole.MEMBER, T0.plus(Duration.ofDays(7)), "token-2");

        assertThat(orgs.invitationByTokenHash(OrgItems.tokenHash("token-1"))).contains(expiring);
        assertThat(orgs.invitationByTokenHash("token-1")).isEmpty();
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> raw = DYNAMO.client()
                .getItem(r -> r.tableName(table).key(OrgItems.invitationKey("o1", "i1")).consistentRead(true)).item();
        assertThat(raw.values()).noneMatch(v -> "token-1".equals(v.s()));

        assertThatThrownBy(() -> orgs.accept(expiring, "b", T0.plusSeconds(60))).isInstanceOf(GoneException.class);
        assertThat(orgs.revoke("o1", "i2")).isTrue();
        assertThat(orgs.revoke("o1", "i2")).isFalse();
        assertThat(orgs.invitationByTokenHash(OrgItems.tokenHash("token-2"))).isEmpty();
        assertThatThrownBy(() -> orgs.accept(revoked, "c", T0)).isInstanceOf(GoneException.class);
        assertThatThrownBy(() -> orgs.revoke("o1", "nope")).isInstanceOf(NotFoundException.class);
        assertThat(orgs.invitations("o1")).extracting(i -> i.statusAt(T0.plusSeconds(61)))
                .containsExactlyInAnyOrder(Invitation.EXPIRED, Invitation.REVOKED);
    }

    @Test
    void b35_acceptingTwice_isAConflict_andADeletedAccount_cannotJoin() {
        orgs.create("o1", "Acme", "a", T0);
        Invitation inv = invite("o1", "i1", "a@example.com", OrgRole.MEMBER, T0.plus(Duration.ofDays(7)), "t");
        assertThatThrownBy(() -> orgs.accept(inv, "a", T0)).isInstanceOf(ConflictException.class);

        users.delete("c");
        Invitation forC = invite("o1", "i2", "c@example.com", OrgRole.MEMBER, T0.plus(Duration.ofDays(7)), "t2");
        assertThatThrownBy(() -> orgs.accept(forC, "c", T0)).isInstanceOf(ConflictException.class);
        assertThat(orgs.membership("o1", "c")).isEmpty();
    }

    @Test
    void b35_deletingTheOrg_removesMembershipsInvitationsAndTokens() {
        orgs.create("o1", "Acme", "a", T0);
        join("o1", "b", OrgRole.MEMBER);
        Invitation inv = invite("o1", "i9", "c@example.com", OrgRole.MEMBER, T0.plus(Duration.ofDays(7)), "t9");

        orgs.delete("o1", new OrgRepository.Actor("a", OrgRole.OWNER));

        assertThat(orgs.access("o1", "a")).isEmpty();
        assertThat(orgs.orgsOf("b", 10, Optional.empty()).items()).isEmpty();
        assertThat(orgs.allMembershipsOf("b")).isEmpty();
        assertThat(orgs.invitationByTokenHash(OrgItems.tokenHash("t9"))).isEmpty();
        assertThatThrownBy(() -> orgs.accept(inv, "c", T0)).isInstanceOf(GoneException.class);
        long left = DYNAMO.client().query(r -> r.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ORG#o1")))).count();
        assertThat(left).isZero();
    }

    @Test
    void b35_cursors_areBoundToTheirOrgAndCaller() {
        orgs.create("o1", "Acme", "a", T0);
        orgs.create("o2", "Other", "a", T0);
        join("o1", "b", OrgRole.MEMBER);
        join("o1", "c", OrgRole.MEMBER);

        Page<Member> first = orgs.members("o1", 1, Optional.empty(), "a");
        assertThat(first.nextCursor()).isNotNull();
        Page<Member> second = orgs.members("o1", 1, Optional.of(first.nextCursor()), "a");
        assertThat(second.items().get(0).membership().userId()).isNotEqualTo(first.items().get(0).membership().userId());

        assertThatThrownBy(() -> orgs.members("o2", 1, Optional.of(first.nextCursor()), "a")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> orgs.members("o1", 1, Optional.of(first.nextCursor()), "b")).isInstanceOf(InvalidRequestException.class);
        Page<Map.Entry<Membership, Org>> mine = orgs.orgsOf("a", 1, Optional.empty());
        assertThatThrownBy(() -> orgs.orgsOf("b", 1, Optional.of(mine.nextCursor()))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> orgs.members("o1", 1, Optional.of(mine.nextCursor()), "a")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void b35_anAccountWhoseJoiningIsClosed_acceptsNothing_untilReopenedOrTheClosureExpires() {
        orgs.create("o1", "Acme", "a", T0);
        Invitation inv = invite("o1", "i1", "b@example.com", OrgRole.OWNER, T0.plus(Duration.ofDays(7)), "t1");
        orgs.closeJoining("b", T0.plusSeconds(900));

        assertThatThrownBy(() -> orgs.accept(inv, "b", T0)).isInstanceOf(ConflictException.class);
        assertThat(orgs.membership("o1", "b")).isEmpty();
        assertThat(orgs.invitation("o1", "i1").orElseThrow().status()).isEqualTo(Invitation.PENDING);
        orgs.accept(inv, "b", T0.plusSeconds(900)); // a closure left by a deletion that stopped half-way lapses

        Invitation forC = invite("o1", "i2", "c@example.com", OrgRole.MEMBER, T0.plus(Duration.ofDays(7)), "t2");
        orgs.closeJoining("c", T0.plusSeconds(900));
        orgs.reopenJoining("c");
        orgs.accept(forC, "c", T0);
        assertThat(orgs.find("o1").orElseThrow().memberCount()).isEqualTo(3);
    }

    /**
     * The account-deletion window: an owner invitation accepted while the account is deleted. Whatever the
     * interleaving, a membership the accept added is among those read after joining closed (so leaveAll's guards see
     * it), or the accept failed.
     */
    @Test
    void b35_deletionRacingAnOwnerInvitationAccept_neverMissesTheNewMembership() throws Exception {
        for (int round = 0; round < 20; round++) {
            String org = "del" + round;
            orgs.create(org, "Race", "a", T0);
            Invitation inv = invite(org, "i" + round, "b@example.com", OrgRole.OWNER, T0.plus(Duration.ofDays(7)), "tok" + round);
            CountDownLatch start = new CountDownLatch(1);
            Future<Boolean> accept = pool.submit(() -> {
                start.await();
                try {
                    orgs.accept(inv, "b", T0);
                    return true;
                } catch (ConflictException refused) {
                    return false;
                }
            });
            Future<List<Membership>> deletion = pool.submit(() -> {
                start.await();
                orgs.closeJoining("b", T0.plusSeconds(900));
                return orgs.allMembershipsOf("b");
            });
            start.countDown();
            boolean joined = accept.get(60, TimeUnit.SECONDS);
            List<Membership> seen = deletion.get(60, TimeUnit.SECONDS);
            assertThat(seen.stream().anyMatch(m -> m.orgId().equals(org))).as("round " + round).isEqualTo(joined);
            orgs.reopenJoining("b");
        }
    }

    private void joinAt(String orgId, String userId, OrgRole role, Instant at) {
        Invitation inv = invite(orgId, "inv-" + userId, userId + "@example.com", role, T0.plus(Duration.ofDays(7)), "tok-" + orgId + userId);
        orgs.accept(inv, userId, at);
    }

    @Test
    void b31_theLastOwnerGone_handsOwnershipToTheLongestStandingAdmin_elseMember_andAnOrgLeftEmptyIsDeleted() {
        users.createIfAbsent(new UserProfile("d", "d@example.com", "Name d", "en", null, null, List.of("user"),
                UserStatus.ENABLED, false, T0, T0, 1));
        orgs.create("o1", "Admins", "a", T0);
        joinAt("o1", "b", OrgRole.MEMBER, T0.plusSeconds(1));
        joinAt("o1", "c", OrgRole.ADMIN, T0.plusSeconds(3));
        joinAt("o1", "d", OrgRole.ADMIN, T0.plusSeconds(2));
        OrgRepository.HandOver toAdmin = orgs.handOver("o1", "a");
        assertThat(toAdmin.successor().orElseThrow()).isEqualTo(new Membership("o1", "d", OrgRole.ADMIN, T0.plusSeconds(2)));
        assertThat(orgs.membership("o1", "d").orElseThrow().role()).isEqualTo(OrgRole.OWNER);
        assertThat(orgs.membership("o1", "a")).isEmpty();
        assertThat(orgs.allMembershipsOf("a")).isEmpty();
        assertThat(orgs.find("o1").orElseThrow()).extracting(Org::memberCount, Org::owners).containsExactly(3L, 1L);

        orgs.create("o2", "Members", "a", T0);
        joinAt("o2", "c", OrgRole.MEMBER, T0.plusSeconds(5));
        joinAt("o2", "b", OrgRole.MEMBER, T0.plusSeconds(4));
        assertThat(orgs.handOver("o2", "a").successor().orElseThrow().userId()).isEqualTo("b");
        assertThat(orgs.membership("o2", "b").orElseThrow().role()).isEqualTo(OrgRole.OWNER);

        orgs.create("o3", "Alone", "a", T0);
        invite("o3", "i3", "x@example.com", OrgRole.MEMBER, T0.plus(Duration.ofDays(7)), "t3");
        assertThat(orgs.handOver("o3", "a")).isEqualTo(new OrgRepository.HandOver(Optional.empty(), true));
        assertThat(orgs.find("o3")).isEmpty();
        assertThat(orgs.invitationByTokenHash(OrgItems.tokenHash("t3"))).isEmpty();

        orgs.create("o4", "Two owners", "a", T0);
        joinAt("o4", "b", OrgRole.OWNER, T0.plusSeconds(1));
        assertThat(orgs.handOver("o4", "a")).isEqualTo(new OrgRepository.HandOver(Optional.empty(), false));
        assertThat(orgs.find("o4").orElseThrow()).extracting(Org::memberCount, Org::owners).containsExactly(1L, 1L);
        assertThatThrownBy(() -> orgs.handOver("o4", "a")).isInstanceOf(NotFoundException.class);
    }

    /** Runs the calls at once; the number that returned normally (the others must have failed with a conflict or 410). */
    private long race(List<Callable<Object>> calls) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (Callable<Object> call : calls) {
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    call.call();
                    return true;
                } catch (ConflictException | GoneException e) {
                    return false;
                }
            }));
        }
        start.countDown();
        long ok = 0;
        for (Future<Boolean> f : futures) {
            ok += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        return ok;
    }
}
