package dev.userapi.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.problem.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CursorsTest {
    private static final Set<String> KEYS = Set.of("pk", "sk");

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCursorRoundTrips() {
        String cursor = Cursors.encode(Map.of("pk", AttributeValue.fromS("AUDIT#u1"), "sk", AttributeValue.fromS("2026#x")));
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        var key = Cursors.decode(cursor, KEYS, k -> k.get("pk").equals("AUDIT#u1"));
        assertThat(key.get("sk").s()).isEqualTo("2026#x");
    }

    @Test
    void aCursorFromAnotherListing_isRefused() {
        String cursor = Cursors.encode(Map.of("pk", AttributeValue.fromS("AUDIT#someone-else"), "sk", AttributeValue.fromS("x")));
        assertThatThrownBy(() -> Cursors.decode(cursor, KEYS, k -> k.get("pk").equals("AUDIT#u1")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%%%", "not base64!", "", "e30", "W10", "eyJwayI6MX0"})
    void garbage_isRefused(String cursor) {
        assertThatThrownBy(() -> Cursors.decode(cursor, KEYS, k -> true)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void extraOrMissingKeysOrWrongTypes_areRefused() {
        assertThatThrownBy(() -> Cursors.decode(b64("{\"pk\":\"a\"}"), KEYS, k -> true)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Cursors.decode(b64("{\"pk\":\"a\",\"sk\":\"b\",\"x\":\"c\"}"), KEYS, k -> true)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Cursors.decode(b64("{\"pk\":\"a\",\"sk\":{\"S\":\"b\"}}"), KEYS, k -> true)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Cursors.decode("a".repeat(5000), KEYS, k -> true)).isInstanceOf(InvalidRequestException.class);
    }
}
