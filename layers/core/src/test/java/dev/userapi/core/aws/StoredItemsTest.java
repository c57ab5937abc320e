package dev.userapi.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.ServiceUnavailableException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Unreadable stored items are a 503, whatever the parse threw; readable ones read back. */
class StoredItemsTest {
    private static final Map<String, AttributeValue> ITEM = Map.of("pk", Attr.s("X#1"), "sk", Attr.s("Y"),
            "at", Attr.s("2026-12-02T10:00:00Z"), "n", Attr.n(7), "text", Attr.s("abc"));

    @Test
    void requiredAttributes_readBack() {
        assertThat(StoredItems.readable("test", ITEM, () -> StoredItems.instant(ITEM, "at"))).isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
        assertThat(StoredItems.readable("test", ITEM, () -> StoredItems.number(ITEM, "n"))).isEqualTo(7L);
        assertThat(StoredItems.readable("test", ITEM, () -> StoredItems.epochSeconds(ITEM, "n"))).isEqualTo(Instant.ofEpochSecond(7));
    }

    @Test
    void missing_wrongType_unparsable_outOfRange_orAStoredValueTheInputParserRefuses_is503() {
        Map<String, AttributeValue> item = new HashMap<>(ITEM);
        item.put("huge", AttributeValue.fromN("99999999999999999"));
        item.put("decimal", AttributeValue.fromN("1.5"));
        assertUnreadable(item, () -> StoredItems.string(item, "missing"));
        assertUnreadable(item, () -> StoredItems.string(item, "n"));
        assertUnreadable(item, () -> StoredItems.number(item, "text"));
        assertUnreadable(item, () -> StoredItems.number(item, "decimal"));
        assertUnreadable(item, () -> StoredItems.instant(item, "text"));
        assertUnreadable(item, () -> StoredItems.epochSeconds(item, "huge"));
        assertUnreadable(item, () -> Math.toIntExact(StoredItems.number(item, "huge")));
        assertUnreadable(item, () -> {
            throw new InvalidRequestException("a stored role that is no role");
        });
    }

    private static void assertUnreadable(Map<String, AttributeValue> item, java.util.function.Supplier<Object> parse) {
        assertThatThrownBy(() -> StoredItems.readable("test", item, parse)).isInstanceOf(ServiceUnavailableException.class)
                .hasMessage("The test store answered an unreadable item.");
    }
}
