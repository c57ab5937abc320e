package dev.userapi.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.testing.SdkMocks;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The user, session, audit and hosted sign-in items read strictly: what every write puts must be there and parse,
 * or the read is a 503 (never a 500, never a 400).
 */
class StoredUserItemsTest {
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

    private static Map<String, AttributeValue> with(Map<String, AttributeValue> item, Consumer<Map<String, AttributeValue>> change) {
        Map<String, AttributeValue> copy = new HashMap<>(item);
        change.accept(copy);
        return copy;
    }

    private static void assertUnreadable(Runnable read) {
        assertThatThrownBy(read::run).isInstanceOf(ServiceUnavailableException.class);
    }

    // ------------------------------------------------------------------------------------------ sessions

    private static Map<String, AttributeValue> sessionItem() {
        return Map.of("pk", Attr.s("SESSION#h"), "sk", Attr.s("SESSION"), "id", Attr.s("s-1"), "userId", Attr.s("u-1"),
                "createdAt", Attr.s(AT.toString()), "lastUsedAt", Attr.s(AT.toString()), "sourceIp", Attr.s("203.0.113.7"),
                "userAgent", Attr.s("JUnit"));
    }

    @Test
    void aSessionAsWritten_readsBack() {
        assertThat(SessionRepository.toSession("h", sessionItem())).isEqualTo(new Session("h", "s-1", "u-1", AT, AT, "203.0.113.7", "JUnit", null));
    }

    @Test
    void aSessionWithoutWhatEveryPutWrites_orWithAnUnparsableInstant_is503() {
        for (String name : List.of("id", "userId", "createdAt", "lastUsedAt", "sourceIp", "userAgent")) {
            assertUnreadable(() -> SessionRepository.toSession("h", with(sessionItem(), i -> i.remove(name))));
        }
        assertUnreadable(() -> SessionRepository.toSession("h", with(sessionItem(), i -> i.put("createdAt", Attr.s("soon")))));
        assertUnreadable(() -> SessionRepository.toSession("h", with(sessionItem(), i -> i.put("id", Attr.n(1)))));
    }

    @Test
    void aListedSessionWhoseKeyIsNoSessionKey_is503() {
        DynamoDbClient db = SdkMocks.client(DynamoDbClient.class);
        when(db.query(any(QueryRequest.class))).thenReturn(QueryResponse.builder()
                .items(with(sessionItem(), i -> i.put("pk", Attr.s("USER#u-1")))).build());
        assertUnreadable(() -> new SessionRepository(db, "users").listForUser("u-1"));
    }

    // ------------------------------------------------------------------------------------------ audit

    private static Map<String, AttributeValue> auditItem() {
        return Map.of("pk", Attr.s("AUDIT#u-1"), "sk", Attr.s(AT + "#x"), "at", Attr.s(AT.toString()), "actor", Attr.s("admin"),
                "action", Attr.s("user.update"), "target", Attr.s("u-1"), "details", Attr.of(Map.of("fields", List.of("name"))));
    }

    @Test
    void anAuditEntryAsWritten_readsBack() {
        assertThat(AuditRepository.toEntry("u-1", auditItem()))
                .isEqualTo(new AuditEntry(AT, "admin", "user.update", "u-1", Map.of("fields", List.of("name"))));
    }

    @Test
    void anAuditEntryWithoutItsInstant_actor_action_orDetails_orWithDetailsThatAreNoMap_is503() {
        for (String name : List.of("at", "actor", "action", "details")) {
            assertUnreadable(() -> AuditRepository.toEntry("u-1", with(auditItem(), i -> i.remove(name))));
        }
        assertUnreadable(() -> AuditRepository.toEntry("u-1", with(auditItem(), i -> i.put("details", Attr.s("{}")))));
        assertUnreadable(() -> AuditRepository.toEntry("u-1", with(auditItem(), i -> i.put("at", Attr.s("now")))));
        assertUnreadable(() -> AuditRepository.toEntry("u-1", with(auditItem(),
                i -> i.put("details", AttributeValue.fromM(Map.of("n", AttributeValue.fromN("x")))))));
    }

    // ------------------------------------------------------------------------------------------ hosted sign-in

    @Test
    void aSignInWithoutWhatEveryPutWrites_orWithAnUnparsableExpiry_is503_andOneAsWrittenReadsBack() {
        Map<String, AttributeValue> item = Map.of("pk", Attr.s("OAUTH#st"), "sk", Attr.s("STATE"), "nonce", Attr.s("n"),
                "codeVerifier", Attr.s("v"), "redirect", Attr.s("https://app.example.com/"), "bindingHash", Attr.s("b"),
                "expiresAt", Attr.n(AT.getEpochSecond()));
        DynamoDbClient db = SdkMocks.client(DynamoDbClient.class);
        OAuthStateRepository repository = new OAuthStateRepository(db, "users");
        when(db.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(item).build());
        assertThat(repository.find("st")).contains(new OAuthState("st", "n", "v", "https://app.example.com/", "b", "", AT));
        for (String name : List.of("nonce", "codeVerifier", "redirect", "bindingHash", "expiresAt")) {
            when(db.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(with(item, i -> i.remove(name))).build());
            assertUnreadable(() -> repository.find("st"));
        }
        when(db.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                .item(with(item, i -> i.put("expiresAt", AttributeValue.fromN("soon")))).build());
        assertUnreadable(() -> repository.find("st"));
    }

    // ------------------------------------------------------------------------------------------ profiles

    private static Map<String, AttributeValue> profileItem() {
        return UserItems.toItem(new UserProfile("u-1", "ada@example.com", "Ada", null, null, null, List.of("user"), UserStatus.ENABLED,
                false, AT, AT, 3));
    }

    @Test
    void aProfileAsWritten_readsBack() {
        assertThat(UserItems.toProfile(profileItem()).id()).isEqualTo("u-1");
        assertThat(UserItems.toProfile(profileItem()).version()).isEqualTo(3);
    }

    @Test
    void aProfileWithoutItsId_orWithAnUnknownStatus_anUnparsableInstant_orVersion_is503() {
        assertUnreadable(() -> UserItems.toProfile(with(profileItem(), i -> i.remove("id"))));
        assertUnreadable(() -> UserItems.toProfile(with(profileItem(), i -> i.put("status", Attr.s("ASLEEP")))));
        assertUnreadable(() -> UserItems.toProfile(with(profileItem(), i -> i.put("createdAt", Attr.s("then")))));
        assertUnreadable(() -> UserItems.toProfile(with(profileItem(), i -> i.put("version", AttributeValue.fromN("one")))));
    }

    @Test
    void aUserRecordWithAnUnknownStatus_orAnUnparsableRevocation_is503() {
        assertUnreadable(() -> UserItems.toRecord("u-1", with(profileItem(), i -> i.put("status", Attr.s("ASLEEP")))));
        assertUnreadable(() -> UserItems.toRecord("u-1", with(profileItem(), i -> i.put("revokedBefore", AttributeValue.fromN("x")))));
        assertUnreadable(() -> UserItems.toRecord("u-1", with(profileItem(),
                i -> i.put("revokedJtis", AttributeValue.fromM(Map.of("jti", AttributeValue.fromN("later")))))));
    }
}
