package dev.userapi.local.cognito;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock of the layer's time rules (lockout windows, code lifetimes): the system clock, which a
 * test can freeze and move forward ({@code POST /_local/clock} on the layer), so that "24 hours
 * later" or "within the one-second lockout" needs no sleeping. Tokens keep the real clock:
 * cognito-local stamps them with it.
 */
final class AdjustableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;
    private volatile Instant frozenAt;

    @Override
    public Instant instant() {
        Instant frozen = frozenAt;
        return frozen != null ? frozen : Instant.now().plus(offset);
    }

    /** Stops the clock where it is. */
    synchronized void freeze() {
        frozenAt = instant();
    }

    synchronized void advance(Duration by) {
        if (frozenAt != null) {
            frozenAt = frozenAt.plus(by);
        } else {
            offset = offset.plus(by);
        }
    }

    /** Lets it run again from where it stands (time moved forward stays moved). */
    synchronized void release() {
        if (frozenAt != null) {
            offset = Duration.between(Instant.now(), frozenAt);
            frozenAt = null;
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
