package dev.userapi.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.testing.DynamoDbLocalExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The session registry and the audit trail against DynamoDB Local. */
class SessionAndAuditRepositoryIT {
    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();
    static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");

    private String table;
    private SessionRepository sessions;
    private AuditRepository audit;

    @BeforeEach
    void newTable() {
        table = DYNAMO.newUsersTable();
        sessions = new SessionRepository(DYNAMO.client(), table);
        audit = new AuditRepository(DYNAMO.client(), table);
    }

    private static Session session(String token, String id, String user, Instant createdAt) {
        return new Session(SessionRepository.hash(token), id, user, createdAt, createdAt, "192.0.2.1", "");
    }

    @Test
    void session_putThenFind_returnsItKeyedByTheTokensHash() {
        Session s = session("refresh-1", "s1", "u1", T0);

        sessions.put(s);

        assertThat(sessions.find(SessionRepository.hash("refresh-1"))).hasValueSatisfying(found -> {
            assertThat(found.id()).isEqualTo("s1");
            assertThat(found.userId()).isEqualTo("u1");
            assertThat(found.createdAt()).isEqualTo(T0);
            assertThat(found.userAgent()).isEqualTo("-");
        });
        assertThat(sessions.find(SessionRepository.hash("refresh-2"))).isEmpty();
        var item = DYNAMO.client().getItem(r -> r.tableName(table)
                .key(Map.of("pk", dev.userapi.core.aws.Attr.s("SESSION#" + s.tokenHash()), "sk", dev.userapi.core.aws.Attr.s("SESSION"))))
                .item();
        assertThat(item.values().toString()).doesNotContain("refresh-1");
        assertThat(item.get("expiresAt").n()).isEqualTo(String.valueOf(T0.plus(SessionRepository.LIFETIME).getEpochSecond()));
    }

    @Test
    void session_touch_updatesLastUseOrReturnsFalseWhenRemoved() {
        Session s = session("refresh-1", "s1", "u1", T0);
        sessions.put(s);

        assertThat(sessions.touch(s.tokenHash(), T0.plusSeconds(60))).isTrue();
        assertThat(sessions.find(s.tokenHash()).orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(60));

        sessions.delete(s.tokenHash());

        assertThat(sessions.touch(s.tokenHash(), T0.plusSeconds(120))).isFalse();
        assertThat(sessions.find(s.tokenHash())).isEmpty();
    }

    @Test
    void session_listForUser_returnsOnlyThatUsersSessionsNewestFirst() {
        sessions.put(session("a", "s1", "u1", T0));
        sessions.put(session("b", "s2", "u1", T0.plusSeconds(10)));
        sessions.put(session("c", "s3", "u2", T0.plusSeconds(5)));

        assertThat(sessions.listForUser("u1")).extracting(Session::id).containsExactly("s2", "s1");
        assertThat(sessions.listForUser("u1").get(0).tokenHash()).isEqualTo(SessionRepository.hash("b"));

        sessions.deleteAllForUser("u1");

        assertThat(sessions.listForUser("u1")).isEmpty();
        assertThat(sessions.listForUser("u2")).extracting(Session::id).containsExactly("s3");
    }

    @Test
    void audit_list_returnsTheTargetsEntriesNewestFirstWithTheirDetails() {
        audit.append(new AuditEntry(T0, "admin-1", "roles.replaced", "u1", Map.of("roles", List.of("user", "admin"), "n", 2L, "ratio", 0.5)));
        audit.append(new AuditEntry(T0.plusSeconds(1), "admin-1", "user.disabled", "u1", Map.of()));
        audit.append(new AuditEntry(T0.plusSeconds(2), "admin-1", "user.disabled", "u2", Map.of()));

        Page<AuditEntry> page = audit.list("u1", 10, Optional.empty());

        assertThat(page.items()).extracting(AuditEntry::action).containsExactly("user.disabled", "roles.replaced");
        assertThat(page.items().get(1).details()).isEqualTo(Map.of("roles", List.of("user", "admin"), "n", 2L, "ratio", 0.5));
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void audit_list_pagesWithCursorsThatOnlyResumeTheSameTarget() {
        for (int i = 0; i < 5; i++) {
            audit.append(new AuditEntry(T0.plusSeconds(i), "admin-1", "action-" + i, "u1", Map.of()));
        }

        List<String> actions = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        String firstCursor = null;
        do {
            Page<AuditEntry> page = audit.list("u1", 2, cursor);
            page.items().forEach(e -> actions.add(e.action()));
            firstCursor = firstCursor == null ? page.nextCursor() : firstCursor;
            cursor = Optional.ofNullable(page.nextCursor());
        } while (cursor.isPresent() && actions.size() < 20);

        assertThat(actions).containsExactly("action-4", "action-3", "action-2", "action-1", "action-0");
        String other = firstCursor;
        assertThatThrownBy(() -> audit.list("u2", 2, Optional.of(other))).isInstanceOf(InvalidRequestException.class);
    }
}
