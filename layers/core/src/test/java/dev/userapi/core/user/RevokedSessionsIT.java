package dev.userapi.core.user;

import static dev.userapi.core.user.UserRepositoryIT.CLOCK;
import static dev.userapi.core.user.UserRepositoryIT.T0;
import static dev.userapi.core.user.UserRepositoryIT.profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.testing.DynamoDbLocalExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sessions ended one by one (logout): their {@code origin_jti} on the profile the authorizer reads, pruned and bounded. */
class RevokedSessionsIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();

    private UserRepository users;

    @BeforeEach
    void newTable() {
        users = new UserRepository(DYNAMO.client(), DYNAMO.newUsersTable(), List.of("user", "admin"), CLOCK);
        users.createIfAbsent(profile("u1", "ann@example.com", "user"));
    }

    @Test
    void a10_aRevokedOriginJti_isInTheRecord_andOthersAreNot_andTheVersionStays() {
        long until = T0.getEpochSecond() + 3900;
        users.revokeSession("u1", "jti-phone", until);
        users.revokeSession("u1", "jti-tablet", until);

        UserRecord record = users.findRecord("u1").orElseThrow();
        assertThat(record.revokesSession("jti-phone")).isTrue();
        assertThat(record.revokesSession("jti-tablet")).isTrue();
        assertThat(record.revokesSession("jti-laptop")).isFalse();
        assertThat(record.revokedBeforeMillis()).isEmpty();
        assertThat(users.find("u1").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void a10_expiredEntries_arePrunedAtTheNextLogout() {
        users.revokeSession("u1", "old", T0.getEpochSecond() - 1);
        users.revokeSession("u1", "new", T0.getEpochSecond() + 3900);

        assertThat(users.findRecord("u1").orElseThrow().revokedOriginJtis()).containsOnlyKeys("new");
    }

    @Test
    void a10_beyondTheBound_everyOlderTokenIsRefusedInstead_andTheMapIsEmptied() {
        for (int i = 0; i < ProfileStore.MAX_REVOKED_SESSIONS; i++) {
            users.revokeSession("u1", "jti-" + i, T0.getEpochSecond() + 3900);
        }
        assertThat(users.findRecord("u1").orElseThrow().revokedOriginJtis()).hasSize(ProfileStore.MAX_REVOKED_SESSIONS);

        users.revokeSession("u1", "one-more", T0.getEpochSecond() + 3900);

        UserRecord record = users.findRecord("u1").orElseThrow();
        assertThat(record.revokedOriginJtis()).isEmpty();
        assertThat(record.revokedBeforeMillis()).hasValue(T0.toEpochMilli());
    }

    @Test
    void a10_aMissingProfileOrATombstone_isLeftAlone() {
        users.revokeSession("nobody", "jti", T0.getEpochSecond() + 3900);
        users.delete("u1");
        users.revokeSession("u1", "jti", T0.getEpochSecond() + 3900);

        assertThat(users.findRecord("nobody")).isEmpty();
        assertThat(users.findRecord("u1").orElseThrow().status()).isEqualTo(UserStatus.DELETED);
    }
}
