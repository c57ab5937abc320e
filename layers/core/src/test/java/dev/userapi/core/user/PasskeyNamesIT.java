package dev.userapi.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.testing.DynamoDbLocalExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The names users give their passkeys, against DynamoDB Local: per user, keyed by a hash of the credential id. */
class PasskeyNamesIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();
    static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");
    /** The longest credential id WebAuthn allows (1,023 bytes, base64url): longer than a sort key may be. */
    static final String LONG_ID = "A".repeat(1364);

    private String table;
    private PasskeyNames names;

    @BeforeEach
    void newTable() {
        table = DYNAMO.newUsersTable();
        names = new PasskeyNames(DYNAMO.client(), table);
    }

    @Test
    void names_arePerUser_renamable_andForgotten() {
        names.put("u1", "AAAA", "Laptop", T0);
        names.put("u1", LONG_ID, "Security key", T0);
        names.put("u2", "AAAA", "Someone else's", T0);

        assertThat(names.all("u1")).isEqualTo(Map.of("AAAA", "Laptop", LONG_ID, "Security key"));
        assertThat(names.all("u2")).isEqualTo(Map.of("AAAA", "Someone else's"));

        names.put("u1", "AAAA", "Work laptop", T0);
        assertThat(names.all("u1")).containsEntry("AAAA", "Work laptop");

        names.delete("u1", "AAAA");
        names.delete("u1", "AAAA");
        assertThat(names.all("u1")).isEqualTo(Map.of(LONG_ID, "Security key"));
        assertThat(names.all("u2")).containsOnlyKeys("AAAA");
    }

    @Test
    void putIfAbsent_neverReplacesAGivenName() {
        names.put("u1", "AAAA", "Laptop", T0);

        assertThat(names.putIfAbsent("u1", "AAAA", "Chrome on Linux", T0)).isFalse();
        assertThat(names.putIfAbsent("u1", "BBBB", "Safari on macOS", T0)).isTrue();
        assertThat(names.all("u1")).isEqualTo(Map.of("AAAA", "Laptop", "BBBB", "Safari on macOS"));
    }

    @Test
    void deletingTheAccount_forgetsItsPasskeyNames_only() {
        UserRepository users = new UserRepository(DYNAMO.client(), table, List.of("user", "admin"), Clock.fixed(T0, ZoneOffset.UTC));
        for (String id : List.of("u1", "u2")) {
            users.createIfAbsent(new UserProfile(id, id + "@example.com", null, null, null, null, List.of("user"), UserStatus.ENABLED,
                    false, T0, T0, 1));
            users.passkeyNames().put(id, "AAAA", "Laptop", T0);
        }

        users.delete("u1");

        assertThat(users.passkeyNames().all("u1")).isEmpty();
        assertThat(users.passkeyNames().all("u2")).containsOnlyKeys("AAAA");
    }

    @Test
    void aPasskeyName_isNeverListedAsASession() {
        names.put("u1", "AAAA", "Laptop", T0);

        assertThat(new SessionRepository(DYNAMO.client(), table).listForUser("u1")).isEmpty();
    }
}
