package dev.userapi.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.problem.PreconditionFailedException;
import dev.userapi.core.problem.UserNotFoundException;
import dev.userapi.core.testing.DynamoDbLocalExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Profiles, version conditions and tombstones against DynamoDB Local. */
class UserRepositoryIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();

    static final Instant T0 = Instant.parse("2030-01-02T03:04:05.678Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    private String table;
    private UserRepository users;

    @BeforeEach
    void newTable() {
        table = DYNAMO.newUsersTable();
        users = new UserRepository(DYNAMO.client(), table, List.of("user", "admin", "support"), CLOCK);
    }

    static UserProfile profile(String id, String email, String... roles) {
        return new UserProfile(id, email, "Name " + id, "en", null, null, List.of(roles), UserStatus.ENABLED, false,
                T0.minusSeconds(60), T0.minusSeconds(60), 1);
    }

    private Map<String, AttributeValue> rawProfileItem(String id) {
        return DYNAMO.client().getItem(r -> r.tableName(table).key(UserItems.profileKey(id)).consistentRead(true)).item();
    }

    @Test
    void confirmedAt_isWrittenOnceOnly_atCreationForAConfirmedAccount_orByMarkConfirmed_andNeverOnATombstone() {
        UserProfile invited = profile("u1", "ann@example.com", "user");
        assertThat(users.createIfAbsent(invited, false)).isTrue();
        assertThat(rawProfileItem("u1")).doesNotContainKey("confirmedAt");
        assertThat(users.markConfirmed("u1")).isTrue();
        assertThat(rawProfileItem("u1").get("confirmedAt").s()).isEqualTo(T0.toString());
        long version = users.find("u1").orElseThrow().version();
        assertThat(users.markConfirmed("u1")).as("once").isFalse();
        assertThat(users.find("u1").orElseThrow().version()).as("no field a client reads changed").isEqualTo(version);

        UserProfile signedUp = profile("u2", "bob@example.com", "user");
        assertThat(users.createIfAbsent(signedUp, true)).isTrue();
        assertThat(rawProfileItem("u2").get("confirmedAt").s()).isEqualTo(signedUp.createdAt().toString());
        assertThat(users.markConfirmed("u2")).isFalse();

        assertThat(users.createIfAbsent(profile("u3", "cy@example.com", "user"), false)).isTrue();
        users.delete("u3");
        assertThat(users.markConfirmed("u3")).as("a tombstone").isFalse();
        assertThat(rawProfileItem("u3")).doesNotContainKey("confirmedAt");
        assertThat(users.markConfirmed("nobody")).isFalse();
        assertThat(users.find("nobody")).isEmpty();
    }

    @Test
    void createIfAbsent_thenFind_returnsTheSameProfile() {
        UserProfile created = profile("u1", "ann@example.com", "user");

        assertThat(users.createIfAbsent(created)).isTrue();

        assertThat(users.find("u1")).contains(created);
        assertThat(users.findRecord("u1")).hasValueSatisfying(record -> {
            assertThat(record.status()).isEqualTo(UserStatus.ENABLED);
            assertThat(record.roles()).containsExactly("user");
            assertThat(record.revokedBeforeMillis()).isEmpty();
            assertThat(record.sessionsRevokedBeforeMillis()).isEmpty();
        });
    }

    @Test
    void find_whenNoProfile_isEmpty() {
        assertThat(users.find("nobody")).isEmpty();
        assertThat(users.findRecord("nobody")).isEmpty();
    }

    @Test
    void createIfAbsent_whenProfileExists_returnsFalseAndKeepsTheExistingOne() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user", "admin"));

        boolean again = users.createIfAbsent(profile("u1", "other@example.com", "user"));

        assertThat(again).isFalse();
        assertThat(users.find("u1").orElseThrow().email()).isEqualTo("ann@example.com");
        assertThat(users.find("u1").orElseThrow().roles()).containsExactly("admin", "user");
        assertThat(users.adminCount()).isEqualTo(1);
    }

    @Test
    void update_withCurrentVersion_appliesChangesAndIncrementsVersion() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));

        UserProfile updated = users.update("u1", new ProfileChanges(Map.of(
                "name", Optional.of("Ann B"), "locale", Optional.empty(), "phoneNumber", Optional.of("+14155550123"))),
                OptionalLong.of(1));

        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.name()).isEqualTo("Ann B");
        assertThat(updated.locale()).isNull();
        assertThat(updated.phoneNumber()).isEqualTo("+14155550123");
        assertThat(updated.updatedAt()).isEqualTo(T0);
        assertThat(users.find("u1")).contains(updated);
    }

    @Test
    void update_withStaleVersion_throwsPreconditionFailedAndChangesNothing() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));
        users.update("u1", new ProfileChanges(Map.of("name", Optional.of("First"))), OptionalLong.of(1));

        assertThatThrownBy(() -> users.update("u1", new ProfileChanges(Map.of("name", Optional.of("Second"))),
                OptionalLong.of(1))).isInstanceOf(PreconditionFailedException.class);

        assertThat(users.find("u1").orElseThrow().name()).isEqualTo("First");
        assertThat(users.find("u1").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void update_withoutVersion_appliesUnconditionally() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));
        users.update("u1", new ProfileChanges(Map.of("name", Optional.of("First"))), OptionalLong.empty());

        UserProfile updated = users.update("u1", new ProfileChanges(Map.of("name", Optional.of("Second"))), OptionalLong.empty());

        assertThat(updated.name()).isEqualTo("Second");
        assertThat(updated.version()).isEqualTo(3);
    }

    @Test
    void update_withNoChanges_returnsTheProfileOrThrowsPreconditionFailedOnStaleVersion() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));
        ProfileChanges none = new ProfileChanges(Map.of());

        assertThat(users.update("u1", none, OptionalLong.of(1)).version()).isEqualTo(1);
        assertThatThrownBy(() -> users.update("u1", none, OptionalLong.of(7))).isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void update_whenNoProfile_throwsUserNotFound() {
        ProfileChanges name = new ProfileChanges(Map.of("name", Optional.of("X")));

        assertThatThrownBy(() -> users.update("nobody", name, OptionalLong.of(1))).isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> users.update("nobody", name, OptionalLong.empty())).isInstanceOf(UserNotFoundException.class);
        assertThat(rawProfileItem("nobody")).isEmpty(); // the conditional update did not create an item
    }

    @Test
    void setStatus_disabled_revokesTokensAndSessionsAndIncrementsVersion() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));

        UserProfile disabled = users.setStatus("u1", UserStatus.DISABLED);

        assertThat(disabled.status()).isEqualTo(UserStatus.DISABLED);
        assertThat(disabled.version()).isEqualTo(2);
        UserRecord record = users.findRecord("u1").orElseThrow();
        assertThat(record.isActive()).isFalse();
        assertThat(record.revokedBeforeMillis()).hasValue(T0.toEpochMilli());
        assertThat(record.sessionsRevokedBeforeMillis()).hasValue(T0.toEpochMilli());
    }

    @Test
    void setStatus_enabled_keepsEarlierRevocation() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));
        users.setStatus("u1", UserStatus.DISABLED);

        UserProfile enabled = users.setStatus("u1", UserStatus.ENABLED);

        assertThat(enabled.status()).isEqualTo(UserStatus.ENABLED);
        assertThat(users.findRecord("u1").orElseThrow().revokedBeforeMillis()).hasValue(T0.toEpochMilli());
    }

    @Test
    void setStatus_deleted_isRefused() {
        assertThatThrownBy(() -> users.setStatus("u1", UserStatus.DELETED)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setMfaEnabled_recordsItAndIncrementsVersion() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));

        UserProfile updated = users.setMfaEnabled("u1", true);

        assertThat(updated.mfaEnabled()).isTrue();
        assertThat(updated.version()).isEqualTo(2);
    }

    @Test
    void endSessions_recordsTheInstantAndKeepsTheVersion() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));

        long ended = users.endSessions("u1");

        assertThat(ended).isEqualTo(T0.toEpochMilli());
        assertThat(users.findRecord("u1").orElseThrow().revokedBeforeMillis()).hasValue(ended);
        assertThat(users.findRecord("u1").orElseThrow().sessionsRevokedBeforeMillis()).hasValue(ended);
        assertThat(users.find("u1").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void endSessionsAfterPasswordChange_alsoRecordsPasswordChangedAt_theMarkerOfThePasswordChangedEvent() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));
        users.endSessions("u1");
        assertThat(rawProfileItem("u1")).doesNotContainKey("passwordChangedAt");

        long ended = users.endSessionsAfterPasswordChange("u1");

        assertThat(rawProfileItem("u1").get("passwordChangedAt").s()).isEqualTo(java.time.Instant.ofEpochMilli(ended).toString());
        assertThat(users.findRecord("u1").orElseThrow().revokedBeforeMillis()).hasValue(ended);
    }

    @Test
    void singleItemWrites_whenNoProfile_throwUserNotFoundAndCreateNothing() {
        assertThatThrownBy(() -> users.setStatus("nobody", UserStatus.DISABLED)).isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> users.setMfaEnabled("nobody", true)).isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> users.endSessions("nobody")).isInstanceOf(UserNotFoundException.class);
        assertThat(rawProfileItem("nobody")).isEmpty();
    }

    @Test
    void delete_leavesATombstoneThatRefusesTokensAndHoldsNoPersonalData() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));

        users.delete("u1");

        assertThat(users.find("u1")).isEmpty();
        UserRecord record = users.findRecord("u1").orElseThrow();
        assertThat(record.status()).isEqualTo(UserStatus.DELETED);
        assertThat(record.isActive()).isFalse();
        assertThat(record.roles()).isEmpty();
        assertThat(record.revokedBeforeMillis()).hasValue(T0.toEpochMilli());
        assertThat(record.sessionsRevokedBeforeMillis()).hasValue(T0.toEpochMilli());
        Map<String, AttributeValue> tombstone = rawProfileItem("u1");
        assertThat(tombstone).doesNotContainKeys("email", "name", "locale", "gsi1pk", "gsi1sk", "roles");
        assertThat(tombstone.get("expiresAt").n()).isEqualTo(String.valueOf(T0.getEpochSecond() + 2 * 24 * 3600));
    }

    @Test
    void delete_removesTheRoleMemberships() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user", "support"));

        users.delete("u1");

        for (String role : List.of("user", "support")) {
            assertThat(DYNAMO.client().getItem(r -> r.tableName(table).key(UserItems.roleKey("u1", role))).item())
                    .as(role).isEmpty();
        }
    }

    @Test
    void createIfAbsent_afterDelete_isRefusedWhileTheTombstoneExists() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));
        users.delete("u1");

        boolean recreated = users.createIfAbsent(profile("u1", "ann@example.com", "user"));

        assertThat(recreated).isFalse();
        assertThat(users.find("u1")).isEmpty();
        assertThat(users.findRecord("u1").orElseThrow().status()).isEqualTo(UserStatus.DELETED);
    }

    @Test
    void createIfAbsent_afterTheTombstoneExpired_createsTheProfileAgain() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));
        users.delete("u1");
        // what the table's TTL does after two days
        DYNAMO.client().deleteItem(r -> r.tableName(table).key(UserItems.profileKey("u1")));

        boolean recreated = users.createIfAbsent(profile("u1", "ann@example.com", "user"));

        assertThat(recreated).isTrue();
        assertThat(users.find("u1").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void writes_onATombstone_throwUserNotFound() {
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));
        users.delete("u1");
        ProfileChanges name = new ProfileChanges(Map.of("name", Optional.of("X")));

        assertThatThrownBy(() -> users.update("u1", name, OptionalLong.empty())).isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> users.update("u1", name, OptionalLong.of(1))).isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> users.setStatus("u1", UserStatus.ENABLED)).isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> users.setMfaEnabled("u1", true)).isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> users.endSessions("u1")).isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> users.replaceRoles("u1", List.of("user"))).isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> users.delete("u1")).isInstanceOf(UserNotFoundException.class);
        assertThat(users.findRecord("u1").orElseThrow().status()).isEqualTo(UserStatus.DELETED);
    }
}
