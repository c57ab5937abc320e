package dev.userapi.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogLevelTest {
    @Test
    void lambdasApplicationLogLevel_comesFirst() {
        assertThat(Log.threshold(Map.of("AWS_LAMBDA_LOG_LEVEL", "WARN", "LOG_LEVEL", "DEBUG"))).isEqualTo(Log.Level.WARN);
        assertThat(Log.threshold(Map.of("AWS_LAMBDA_LOG_LEVEL", "trace"))).isEqualTo(Log.Level.DEBUG);
        assertThat(Log.threshold(Map.of("AWS_LAMBDA_LOG_LEVEL", "FATAL"))).isEqualTo(Log.Level.ERROR);
    }

    @Test
    void logLevel_isTheFallback_andInfoTheDefault() {
        assertThat(Log.threshold(Map.of("LOG_LEVEL", " debug "))).isEqualTo(Log.Level.DEBUG);
        assertThat(Log.threshold(Map.of("AWS_LAMBDA_LOG_LEVEL", "nonsense", "LOG_LEVEL", "error"))).isEqualTo(Log.Level.ERROR);
        assertThat(Log.threshold(Map.of())).isEqualTo(Log.Level.INFO);
        assertThat(Log.threshold(Map.of("LOG_LEVEL", "loud"))).isEqualTo(Log.Level.INFO);
    }
}
