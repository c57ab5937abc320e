package dev.userapi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackOptionsTest {
    @Test
    void defaults_port3000_persistentData_defaultAdministrator() {
        StackOptions options = StackOptions.parse(List.of(), Map.of());

        assertThat(options.apiPort()).isEqualTo(3000);
        assertThat(options.inMemory()).isFalse();
        assertThat(options.adminEmail()).isEqualTo(StackOptions.DEFAULT_ADMIN_EMAIL);
        assertThat(options.bindAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void parameterOverrides_acceptSamsForms() {
        StackOptions options = StackOptions.parse(List.of("--port", "0", "--in-memory", "--parameter-overrides",
                "A=1", "B=x=y", "ParameterKey=C,ParameterValue=3", "D=4 E=5", "--no-admin"), Map.of());

        assertThat(options.parameterOverrides()).isEqualTo(Map.of("A", "1", "B", "x=y", "C", "3", "D", "4", "E", "5"));
        assertThat(options.apiPort()).isZero();
        assertThat(options.inMemory()).isTrue();
        assertThat(options.seedAdmin()).isFalse();
    }

    @Test
    void administrator_comesFromTheEnvironment_lowerCased() {
        StackOptions options = StackOptions.parse(List.of(), Map.of("LOCAL_ADMIN_EMAIL", " Boss@Example.COM ",
                "LOCAL_ADMIN_PASSWORD", "An0ther-Password!"));

        assertThat(options.adminEmail()).isEqualTo("boss@example.com");
        assertThat(options.adminPassword()).isEqualTo("An0ther-Password!");
    }

    @Test
    void badArguments_areRefused() {
        assertThatThrownBy(() -> StackOptions.parse(List.of("--port", "http"), Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StackOptions.parse(List.of("--nope"), Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StackOptions.parse(List.of("--parameter-overrides"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StackOptions.parse(List.of("--parameter-overrides", "novalue"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
