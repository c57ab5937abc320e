package dev.userapi.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AttrTest {
    @Test
    void toJava_ofWholeNumber_isALongAndOfDecimalIsADouble() {
        assertThat(Attr.toJava(AttributeValue.fromN("2"))).isEqualTo(2L);
        assertThat(Attr.toJava(AttributeValue.fromN("-7"))).isEqualTo(-7L);
        assertThat(Attr.toJava(AttributeValue.fromN("0.5"))).isEqualTo(0.5);
        assertThat(Attr.toJava(AttributeValue.fromN("1E+3"))).isEqualTo(1000.0);
    }

    @Test
    void toJava_isTheInverseOfOf() {
        Map<String, Object> value = Map.of("s", "x", "n", 3L, "d", 1.25, "b", true,
                "l", List.of("a", 1L), "m", Map.of("k", "v"));

        assertThat(Attr.toJava(Attr.of(value))).isEqualTo(value);
        assertThat(Attr.toJava(Attr.of(Arrays.asList("a", null)))).isEqualTo(Arrays.asList("a", null));
    }
}
