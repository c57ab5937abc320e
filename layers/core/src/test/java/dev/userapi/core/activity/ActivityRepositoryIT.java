package dev.userapi.core.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.Cursors;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.testing.DynamoDbLocalExtension;
import dev.userapi.core.user.Page;
import dev.userapi.core.user.UserProfile;
import dev.userapi.core.user.UserRepository;
import dev.userapi.core.user.UserStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Security activity against DynamoDB Local: one item per event, newest first, cursors bound to the account, TTL. */
class ActivityRepositoryIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();
    static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");

    private String table;
    private ActivityRepository activity;

    @BeforeEach
    void newTable() {
        table = DYNAMO.newUsersTable();
        activity = new ActivityRepository(DYNAMO.client(), table);
    }

    @Test
    void events_areListedNewestFirst_inPagesWhoseCursorsFollowOn() {
        for (int i = 0; i < 5; i++) {
            activity.record("u1", new ActivityItem(T0.plusSeconds(i), ActivityEvent.values()[i], "192.0.2." + i, "agent " + i));
        }
        activity.record("u2", new ActivityItem(T0.plusSeconds(9), ActivityEvent.SIGN_IN, "198.51.100.1", "other"));

        List<ActivityItem> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<ActivityItem> page = activity.list("u1", 2, cursor);
            assertThat(page.items().size()).isLessThanOrEqualTo(2);
            all.addAll(page.items());
            cursor = Optional.ofNullable(page.nextCursor());
        } while (cursor.isPresent());

        assertThat(all).extracting(ActivityItem::at).containsExactly(T0.plusSeconds(4), T0.plusSeconds(3), T0.plusSeconds(2),
                T0.plusSeconds(1), T0);
        assertThat(all.get(0).event()).isEqualTo(ActivityEvent.values()[4]);
        assertThat(all.get(0).sourceIp()).isEqualTo("192.0.2.4");
        assertThat(all.get(0).userAgent()).isEqualTo("agent 4");
    }

    @Test
    void instantsWithFewerFractionDigits_stillSortByTime() {
        // Instant.toString drops trailing zeros (…:05Z, …:05.1Z, …:05.12Z): the sort key must not
        activity.record("u1", new ActivityItem(T0, ActivityEvent.SIGN_IN, null, null));
        activity.record("u1", new ActivityItem(T0.plusMillis(120), ActivityEvent.SIGN_IN_FAILED, null, null));
        activity.record("u1", new ActivityItem(T0.plusNanos(123_000_000), ActivityEvent.PASSWORD_CHANGED, null, null));
        activity.record("u1", new ActivityItem(T0.plusMillis(100), ActivityEvent.MFA_ENABLED, null, null));

        assertThat(activity.list("u1", 10, Optional.empty()).items()).extracting(ActivityItem::event).containsExactly(
                ActivityEvent.PASSWORD_CHANGED, ActivityEvent.SIGN_IN_FAILED, ActivityEvent.MFA_ENABLED, ActivityEvent.SIGN_IN);
    }

    @Test
    void aCursorOfAnotherAccount_orForged_is400() {
        for (int i = 0; i < 3; i++) {
            activity.record("victim", new ActivityItem(T0.plusSeconds(i), ActivityEvent.SIGN_IN, "192.0.2.1", "a"));
            activity.record("attacker", new ActivityItem(T0.plusSeconds(i), ActivityEvent.SIGN_IN, "192.0.2.2", "b"));
        }
        String victimCursor = activity.list("victim", 1, Optional.empty()).nextCursor();
        assertThat(victimCursor).isNotNull();

        assertThatThrownBy(() -> activity.list("attacker", 1, Optional.of(victimCursor))).isInstanceOf(InvalidRequestException.class);
        String otherPartition = Cursors.encode(Map.of("pk", AttributeValue.fromS("USER#victim"), "sk", AttributeValue.fromS("PROFILE")));
        assertThatThrownBy(() -> activity.list("victim", 1, Optional.of(otherPartition))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> activity.list("victim", 1, Optional.of("garbage!"))).isInstanceOf(InvalidRequestException.class);
        assertThat(activity.list("victim", 1, Optional.of(victimCursor)).items()).hasSize(1);
    }

    @Test
    void anItem_expiresNoSoonerThan90Days_andCutsAVeryLongUserAgent() {
        activity.record("u1", new ActivityItem(T0, ActivityEvent.PASSWORD_CHANGED, "192.0.2.1", "x".repeat(5000)));

        var items = DYNAMO.client().query(r -> r.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACTIVITY#u1")))).items();
        assertThat(items).hasSize(1);
        long expiresAt = Attr.number(items.get(0), "expiresAt").orElseThrow();
        assertThat(expiresAt).isGreaterThanOrEqualTo(T0.plus(java.time.Duration.ofDays(90)).getEpochSecond());
        assertThat(Attr.string(items.get(0), "userAgent").orElseThrow()).hasSize(ActivityRepository.MAX_USER_AGENT);
        assertThat(items.get(0)).doesNotContainKeys("gsi1pk", "userId"); // in no index
    }

    @Test
    void idOfEmail_findsEnabledAndDisabledProfiles_andNothingForAnUnknownAddress() {
        UserRepository users = new UserRepository(DYNAMO.client(), table, List.of("user", "admin"),
                Clock.fixed(T0, ZoneOffset.UTC));
        users.createIfAbsent(new UserProfile("sub-ada", "ada@example.com", null, null, null, null, List.of("user"),
                UserStatus.ENABLED, false, T0, T0, 1));
        users.createIfAbsent(new UserProfile("sub-adam", "adam@example.com", null, null, null, null, List.of("user"),
                UserStatus.ENABLED, false, T0, T0, 1));
        users.setStatus("sub-adam", UserStatus.DISABLED);

        assertThat(users.idOfEmail("ada@example.com")).contains("sub-ada");
        assertThat(users.idOfEmail("adam@example.com")).contains("sub-adam");
        assertThat(users.idOfEmail("ad@example.com")).isEmpty();
        assertThat(users.idOfEmail("ada@example.co")).isEmpty();
    }
}
