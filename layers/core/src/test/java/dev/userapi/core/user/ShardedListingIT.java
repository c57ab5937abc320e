package dev.userapi.core.user;

import static dev.userapi.core.user.UserRepositoryIT.CLOCK;
import static dev.userapi.core.user.UserRepositoryIT.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.aws.Cursors;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.testing.DynamoDbLocalExtension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sharded listing against DynamoDB Local: global e-mail order across shards and pages, prefix
 * search within one shard and across shards, role and status filters, shard edges at page ends, and
 * cursors that were tampered with.
 */
class ShardedListingIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();

    private static final List<String> NAMES = List.of("ann", "anna", "andre", "bea", "bob", "boris", "carl", "cleo", "dana", "dirk",
            "eve", "emil", "finn", "gus", "hana", "ida", "ivo", "jan", "jo", "kai", "lea", "liv", "mara", "marc", "max", "mia",
            "nils", "ole", "pia", "quinn", "rita", "sam", "sara", "tom", "uma", "vera", "wim", "xia", "yuri", "zoe");

    private String table;
    private UserRepository users;
    /** Every user: id → profile, as created and changed by the fixture. */
    private final List<UserProfile> all = new ArrayList<>();

    @BeforeEach
    void manyUsersAcrossShards() {
        table = DYNAMO.newUsersTable();
        users = new UserRepository(DYNAMO.client(), table, List.of("user", "admin", "support"), CLOCK);
        all.clear();
        // created in reverse order of their e-mails; every third supports, every fifth is disabled
        for (int i = NAMES.size() - 1; i >= 0; i--) {
            String id = "u" + i;
            users.createIfAbsent(i % 3 == 0 ? profile(id, NAMES.get(i) + "@example.com", "user", "support")
                    : profile(id, NAMES.get(i) + "@example.com", "user"));
            if (i % 5 == 0) {
                users.setStatus(id, UserStatus.DISABLED);
            }
        }
        NAMES.forEach(name -> all.add(users.list(new UserFilter(Optional.of(name + "@"), Optional.empty(), Optional.empty()), 5,
                Optional.empty()).items().get(0)));
        all.sort(Comparator.comparing(UserProfile::email));
        Set<Integer> shards = new HashSet<>();
        NAMES.forEach(name -> shards.add(UserItems.shard(name)));
        assertThat(shards).as("the fixture spans every shard").hasSize(UserItems.SHARDS);
    }

    private static UserFilter filter(String prefix, String role, UserStatus status) {
        return new UserFilter(Optional.ofNullable(prefix), Optional.ofNullable(role), Optional.ofNullable(status));
    }

    /** Every page of a listing, following the cursors until there is none. */
    private List<Page<UserProfile>> pages(UserFilter filter, int limit) {
        List<Page<UserProfile>> pages = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<UserProfile> page = users.list(filter, limit, cursor);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
            pages.add(page);
            cursor = Optional.ofNullable(page.nextCursor());
            assertThat(pages).as("pages").hasSizeLessThan(200);
        } while (cursor.isPresent());
        return pages;
    }

    private List<String> emails(UserFilter filter, int limit) {
        return pages(filter, limit).stream().flatMap(p -> p.items().stream()).map(UserProfile::email).toList();
    }

    private List<String> expected(Predicate<UserProfile> keep) {
        return all.stream().filter(keep).map(UserProfile::email).toList();
    }

    @Test
    void everyPageSize_listsEveryoneOnceInGlobalEmailOrder() {
        List<String> everyone = expected(p -> true);
        assertThat(everyone).hasSize(NAMES.size());
        // every page size puts page ends at different places: on a shard's last entry, within a shard, at the end
        for (int limit = 1; limit <= NAMES.size() + 1; limit++) {
            assertThat(emails(UserFilter.none(), limit)).as("limit " + limit).containsExactlyElementsOf(everyone);
        }
    }

    @Test
    void fullPages_untilTheLast() {
        List<Page<UserProfile>> pages = pages(UserFilter.none(), 7);

        assertThat(pages).hasSize((NAMES.size() + 6) / 7);
        pages.subList(0, pages.size() - 1).forEach(page -> assertThat(page.items()).hasSize(7));
        assertThat(pages.get(0).items().get(0)).as("andre, the first e-mail").isEqualTo(users.find("u2").orElseThrow());
    }

    @Test
    void aPageEndingOnAShardsLastEntry_marksTheShardDone_andTheNextPageGoesOn() {
        List<String> everyone = expected(p -> true);
        // the last user, in e-mail order, of some shard that is not the last overall
        String edge = null;
        for (int i = 0; i < everyone.size() - 1; i++) {
            int shard = UserItems.shard(everyone.get(i));
            if (everyone.subList(i + 1, everyone.size()).stream().noneMatch(e -> UserItems.shard(e) == shard)
                    && statusOf(everyone.get(i)) == UserStatus.ENABLED) {
                edge = everyone.get(i);
                break;
            }
        }
        assertThat(edge).isNotNull();
        int limit = everyone.indexOf(edge) + 1;

        Page<UserProfile> first = users.list(UserFilter.none(), limit, Optional.empty());
        assertThat(first.items()).extracting(UserProfile::email).last().isEqualTo(edge);
        UserListing.Plan plan = UserListing.plan(UserFilter.none());
        ListingCursor cursor = ListingCursor.decode(first.nextCursor(), plan.name(), Optional.empty(), plan.partitions().size());
        int edgeStream = plan.partitions().indexOf(UserItems.profilePartition(UserStatus.ENABLED, UserItems.shard(edge)));
        assertThat(cursor.isDone(edgeStream)).as("the edge's shard is exhausted").isTrue();
        assertThat(cursor.after()).startsWith(edge + "#");

        Page<UserProfile> second = users.list(UserFilter.none(), NAMES.size(), Optional.of(first.nextCursor()));
        assertThat(second.items()).extracting(UserProfile::email).containsExactlyElementsOf(everyone.subList(limit, everyone.size()));
        assertThat(second.nextCursor()).isNull();
    }

    private UserStatus statusOf(String email) {
        return all.stream().filter(p -> p.email().equals(email)).findFirst().orElseThrow().status();
    }

    @Test
    void aPrefixOfTwoCharacters_searchesOneShard() {
        assertThat(UserListing.plan(filter("ma", null, UserStatus.ENABLED)).partitions()).hasSize(1);
        assertThat(emails(filter("ma", null, null), 1)).containsExactly("mara@example.com", "marc@example.com", "max@example.com");
        assertThat(emails(filter("mar", null, null), 10)).containsExactly("mara@example.com", "marc@example.com");
        assertThat(emails(filter("an", null, null), 2)).containsExactly("andre@example.com", "ann@example.com", "anna@example.com");
        assertThat(emails(filter("qq", null, null), 2)).isEmpty();
    }

    @Test
    void aPrefixOfOneCharacter_fansOutOverTheShards() {
        // "s…" and "sa…" e-mails, "b…" ones: different second characters, possibly different shards
        assertThat(emails(filter("s", null, null), 1)).containsExactly("sam@example.com", "sara@example.com");
        assertThat(emails(filter("b", null, null), 2)).containsExactly("bea@example.com", "bob@example.com", "boris@example.com");
        assertThat(emails(filter("m", null, null), 2)).containsExactlyElementsOf(expected(p -> p.email().startsWith("m")));
    }

    @Test
    void statusFilters_readOnlyTheirOwnShards() {
        List<String> disabled = expected(p -> p.status() == UserStatus.DISABLED);
        assertThat(disabled).hasSize(8);
        assertThat(emails(filter(null, null, UserStatus.DISABLED), 3)).containsExactlyElementsOf(disabled);
        assertThat(emails(filter(null, null, UserStatus.ENABLED), 4))
                .containsExactlyElementsOf(expected(p -> p.status() == UserStatus.ENABLED));
        assertThat(emails(filter("a", null, UserStatus.DISABLED), 3)).containsExactlyElementsOf(
                expected(p -> p.status() == UserStatus.DISABLED && p.email().startsWith("a")));
    }

    @Test
    void enablingAgain_movesTheProfileBack_withoutDuplicates() {
        users.setStatus("u0", UserStatus.ENABLED);

        assertThat(emails(filter(null, null, UserStatus.DISABLED), 50)).doesNotContain("ann@example.com").hasSize(7);
        assertThat(emails(UserFilter.none(), 3)).containsExactlyElementsOf(expected(p -> true));
        assertThat(users.list(filter("an", null, UserStatus.ENABLED), 5, Optional.empty()).items())
                .extracting(UserProfile::email).contains("ann@example.com");
    }

    @Test
    void roleAndStatusFilters_combine() {
        Predicate<UserProfile> support = p -> p.roles().contains("support");
        assertThat(emails(filter(null, "support", null), 4)).containsExactlyElementsOf(expected(support));
        assertThat(emails(filter(null, "support", UserStatus.DISABLED), 2))
                .containsExactlyElementsOf(expected(support.and(p -> p.status() == UserStatus.DISABLED)));
        assertThat(emails(filter(null, "support", UserStatus.ENABLED), 3))
                .containsExactlyElementsOf(expected(support.and(p -> p.status() == UserStatus.ENABLED)));
        assertThat(emails(filter("m", "support", null), 1))
                .containsExactlyElementsOf(expected(support.and(p -> p.email().startsWith("m"))));
        assertThat(emails(filter(null, "admin", null), 3)).isEmpty();
    }

    @Test
    void tamperedCursors_areRefused() {
        String cursor = users.list(UserFilter.none(), 5, Optional.empty()).nextCursor();
        Map<String, String> fields = Cursors.decodeFields(cursor, Set.of("l", "a", "d"), f -> true);
        List<String> tampered = List.of(
                cursor.substring(0, cursor.length() - 2),
                cursor + "A",
                Cursors.encodeFields(Map.of("l", "ROLE#support/*", "a", fields.get("a"), "d", fields.get("d"))),
                Cursors.encodeFields(Map.of("l", fields.get("l"), "a", "nobody", "d", fields.get("d"))),
                Cursors.encodeFields(Map.of("l", fields.get("l"), "a", fields.get("a"), "d", "1ffff")),
                Cursors.encodeFields(Map.of("l", fields.get("l"), "a", fields.get("a"))),
                Cursors.encode(Map.of("pk", AttributeValue.fromS("USER#u1"), "sk", AttributeValue.fromS("PROFILE"),
                        "gsi1pk", AttributeValue.fromS("USERS"), "gsi1sk", AttributeValue.fromS("ann@example.com#u1"))));
        for (String bad : tampered) {
            assertThatThrownBy(() -> users.list(UserFilter.none(), 5, Optional.of(bad))).as(bad).isInstanceOf(InvalidRequestException.class);
        }
        // a cursor from another listing, or outside the prefix asked for
        assertThatThrownBy(() -> users.list(filter(null, null, UserStatus.ENABLED), 5, Optional.of(cursor)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> users.list(filter("zo", null, null), 5, Optional.of(cursor)))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void theIndexHoldsOnlyWhatTheListingReturns() {
        var entries = DYNAMO.client().query(r -> r.tableName(table).indexName(UserRepository.INDEX)
                .keyConditionExpression("gsi1pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(
                        UserItems.profilePartition(UserStatus.DISABLED, UserItems.shard("ann")))))).items();
        assertThat(entries).isNotEmpty();
        entries.forEach(entry -> assertThat(entry).doesNotContainKeys("revokedBefore", "sessionsRevokedBefore"));
    }
}
