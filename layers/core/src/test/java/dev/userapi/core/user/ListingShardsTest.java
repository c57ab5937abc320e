package dev.userapi.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The shard function and which index partitions each listing reads. */
class ListingShardsTest {

    private static UserFilter filter(String prefix, String role, UserStatus status) {
        return new UserFilter(Optional.ofNullable(prefix), Optional.ofNullable(role), Optional.ofNullable(status));
    }

    @Test
    void shard_isInRange_andDependsOnlyOnTheFirstTwoCharacters() {
        for (String email : List.of("ann@example.com", "a@b.c", "zoe@example.org", "élodie@example.fr", "😀x@example.com", "12@x.io")) {
            int shard = UserItems.shard(email);
            assertThat(shard).as(email).isBetween(0, UserItems.SHARDS - 1);
            String firstTwo = email.substring(0, email.offsetByCodePoints(0, 2));
            assertThat(UserItems.shard(firstTwo + "anything-else@elsewhere.net")).as(email).isEqualTo(shard);
            assertThat(UserItems.shardOfPrefix(firstTwo)).hasValue(shard);
        }
    }

    @Test
    void shard_isStable() {
        // Stored keys depend on it: a change of the function is a data migration (docs/DATA-MODEL.md).
        assertThat(UserItems.shard("ann@example.com")).isEqualTo(UserItems.shard(new String("an")));
        assertThat(IntStream.range(0, 3).map(i -> UserItems.shard("bob@example.com")).distinct().count()).isEqualTo(1);
    }

    @Test
    void shard_spreadsEveryDayAddressesOverEveryShard() {
        Set<Integer> used = new HashSet<>();
        for (char a = 'a'; a <= 'z'; a++) {
            for (char b = 'a'; b <= 'z'; b++) {
                used.add(UserItems.shard("" + a + b + "@example.com"));
            }
        }
        assertThat(used).hasSize(UserItems.SHARDS);
    }

    @Test
    void shardOfPrefix_needsTwoCharacters() {
        assertThat(UserItems.shardOfPrefix("")).isEmpty();
        assertThat(UserItems.shardOfPrefix("a")).isEmpty();
        assertThat(UserItems.shardOfPrefix("😀")).as("one code point, two chars").isEmpty();
        assertThat(UserItems.shardOfPrefix("an")).isPresent();
    }

    @Test
    void plan_withoutFilter_readsEveryShardOfBothStatuses() {
        UserListing.Plan plan = UserListing.plan(UserFilter.none());
        assertThat(plan.partitions()).hasSize(2 * UserItems.SHARDS).contains("USERS#0", "DISABLED#" + (UserItems.SHARDS - 1));
        assertThat(plan.memberships()).isFalse();
    }

    @Test
    void plan_withALongEnoughPrefix_readsOneShardPerStatus() {
        int shard = UserItems.shard("bob@example.com");
        assertThat(UserListing.plan(filter("bo", null, null)).partitions()).containsExactly("USERS#" + shard, "DISABLED#" + shard);
        assertThat(UserListing.plan(filter("bob@ex", null, UserStatus.ENABLED)).partitions()).containsExactly("USERS#" + shard);
        assertThat(UserListing.plan(filter("b", null, UserStatus.ENABLED)).partitions()).hasSize(UserItems.SHARDS);
    }

    @Test
    void plan_byStatus_readsOnlyThatStatusesShards() {
        assertThat(UserListing.plan(filter(null, null, UserStatus.DISABLED)).partitions())
                .hasSize(UserItems.SHARDS).allMatch(p -> p.startsWith("DISABLED#"));
    }

    @Test
    void plan_byRole_readsTheRolesShards_orTheDisabledProfilesWhenOnlyThoseAreAsked() {
        UserListing.Plan members = UserListing.plan(filter(null, "support", UserStatus.ENABLED));
        assertThat(members.partitions()).hasSize(UserItems.SHARDS).allMatch(p -> p.startsWith("ROLE#support#"));
        assertThat(members.memberships()).isTrue();
        assertThat(members.entrySortKey()).isEqualTo("ROLE#support");

        UserListing.Plan disabled = UserListing.plan(filter("bo", "support", UserStatus.DISABLED));
        assertThat(disabled.partitions()).containsExactly("DISABLED#" + UserItems.shard("bo"));
        assertThat(disabled.memberships()).isFalse();
        assertThat(disabled.name()).isNotEqualTo(members.name());
    }

    @Test
    void compare_ordersAsDynamoDbDoes_byUtf8Bytes() {
        // U+FF21 (3 UTF-8 bytes) sorts before U+1F600 (4 bytes), though its UTF-16 unit is larger than a surrogate's.
        assertThat(UserListing.compare("\uFF21", "😀")).isNegative();
        assertThat("\uFF21".compareTo("😀")).as("String.compareTo differs").isPositive();
        assertThat(UserListing.compare("ann#1", "ann#2")).isNegative();
        assertThat(UserListing.compare("ann", "ann#1")).isNegative();
        assertThat(UserListing.compare("bob", "bob")).isZero();
    }
}
