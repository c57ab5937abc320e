package dev.userapi.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.problem.InvalidRequestException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PageLimitTest {
    @ParameterizedTest
    @NullSource
    void absent_isTheDefault(String value) {
        assertThat(PageLimit.parse(value)).isEqualTo(25);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "25", "100"})
    void wholeNumbersFromOneToAHundred_areTaken(String value) {
        assertThat(PageLimit.parse(value)).isEqualTo(Integer.parseInt(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "", " 5", "5.0", "1e2", "2147483648", "ten"})
    void anythingElse_isAnInvalidRequest(String value) {
        assertThatThrownBy(() -> PageLimit.parse(value)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("from 1 to 100");
    }
}
