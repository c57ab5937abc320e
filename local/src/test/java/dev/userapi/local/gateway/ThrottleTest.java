package dev.userapi.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.local.template.MethodThrottling;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    private final AtomicLong now = new AtomicLong();
    private final Throttle throttle = new Throttle(List.of(
            new MethodThrottling("/*", "*", 100, 200),
            new MethodThrottling("/~1auth~1login", "POST", 2, 3)), now::get);

    @Test
    void aMethodsOwnLimits_overrideTheStageDefault_andRefillAtTheRate() {
        assertThat(admitted("POST", "/auth/login", 10)).as("the burst").isEqualTo(3);

        now.addAndGet(500_000_000L);
        assertThat(admitted("POST", "/auth/login", 10)).as("half a second at 2/s").isEqualTo(1);
    }

    @Test
    void fractionsOfATokenAccumulate_untilAWholeOneIsThere() {
        assertThat(admitted("POST", "/auth/login", 3)).as("the burst").isEqualTo(3);

        now.addAndGet(499_999_999L);
        assertThat(throttle.admit("POST", "/auth/login")).as("a nanosecond short of one token at 2/s").isFalse();
        now.addAndGet(1L);
        assertThat(throttle.admit("POST", "/auth/login")).as("exactly one token").isTrue();
        assertThat(throttle.admit("POST", "/auth/login")).as("and no more").isFalse();
    }

    @Test
    void aLongIdleRefills_toTheBurstOnly() {
        assertThat(admitted("POST", "/auth/login", 3)).isEqualTo(3);

        now.addAndGet(3_600_000_000_000L);
        assertThat(admitted("POST", "/auth/login", 10)).as("an hour at 2/s, capped at the burst of 3").isEqualTo(3);
    }

    @Test
    void requestsRefusedWhileEmpty_takeNothing() {
        assertThat(admitted("POST", "/auth/login", 3)).isEqualTo(3);
        assertThat(admitted("POST", "/auth/login", 100)).as("refused at the same instant").isZero();

        now.addAndGet(1_000_000_000L);
        assertThat(admitted("POST", "/auth/login", 10)).as("one second at 2/s, whatever was refused before").isEqualTo(2);
    }

    @Test
    void otherMethods_useTheStageDefault_eachWithItsOwnBucket() {
        assertThat(admitted("GET", "/me", 500)).isEqualTo(200);
        assertThat(admitted("GET", "/health", 500)).isEqualTo(200);
        assertThat(admitted("GET", "/auth/login", 1)).as("GET /auth/login is not POST").isEqualTo(1);
    }

    @Test
    void withoutSettings_nothingIsThrottled() {
        Throttle none = new Throttle(List.of(), now::get);

        assertThat(java.util.stream.IntStream.range(0, 1000).allMatch(i -> none.admit("POST", "/auth/login"))).isTrue();
    }

    private int admitted(String method, String resource, int requests) {
        int admitted = 0;
        for (int i = 0; i < requests; i++) {
            if (throttle.admit(method, resource)) {
                admitted++;
            }
        }
        return admitted;
    }
}
