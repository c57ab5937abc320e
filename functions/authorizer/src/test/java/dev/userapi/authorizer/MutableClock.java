package dev.userapi.authorizer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand. */
final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
        this.now = start;
    }

    static MutableClock atNow() {
        return new MutableClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    long epochSecond() {
        return now.getEpochSecond();
    }

    @Override
    public Instant instant() {
        return now;
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
