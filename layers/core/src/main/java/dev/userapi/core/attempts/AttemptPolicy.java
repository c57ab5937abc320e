package dev.userapi.core.attempts;

import java.time.Duration;

/**
 * The arithmetic of attempt limiting, with no I/O (docs/SECURITY.md item 29, docs/DATA-MODEL.md).
 *
 * <p>A counter holds the consecutive failures and the instant of the last one. Once it reaches its
 * threshold, further attempts are refused until {@code lastFailure + window(failures)}, where the
 * window is {@code firstWindow} at the threshold and doubles with every further failure, up to
 * {@code maxWindow}. A counter whose last failure is {@code forgetAfter} old counts as zero.
 *
 * @param pairThreshold    failures of one (address, source IP) pair before its windows start
 * @param addressThreshold failures of one address from any source before its windows start
 */
public record AttemptPolicy(int pairThreshold, int addressThreshold, Duration firstWindow, Duration maxWindow,
                            Duration forgetAfter) {
    /** 5 per (address, IP), 20 per address, 30 s doubling to 15 min, forgotten after a day without failures. */
    public static final AttemptPolicy STANDARD = new AttemptPolicy(5, 20, Duration.ofSeconds(30), Duration.ofMinutes(15),
            Duration.ofDays(1));

    public AttemptPolicy {
        if (pairThreshold < 1 || addressThreshold < pairThreshold) {
            throw new IllegalArgumentException("thresholds: 1 <= pair <= address");
        }
        if (firstWindow.isNegative() || firstWindow.isZero() || maxWindow.compareTo(firstWindow) < 0
                || forgetAfter.compareTo(maxWindow) < 0) {
            throw new IllegalArgumentException("windows: 0 < first <= max <= forgetAfter");
        }
    }

    /** The failures that still count at {@code nowMillis}: none once the last one is {@code forgetAfter} old. */
    public long effectiveFailures(AttemptCounter counter, long nowMillis) {
        if (counter.failures() <= 0 || nowMillis - counter.lastFailureMillis() >= forgetAfter.toMillis()) {
            return 0;
        }
        return counter.failures();
    }

    /** How long attempts are refused after the failure that made the count {@code failures}; zero below the threshold. */
    public long windowMillis(long failures, int threshold) {
        if (failures < threshold) {
            return 0;
        }
        // 30 doublings of any window up to a day stay far inside a long; the cap applies long before
        long doublings = Math.min(failures - threshold, 30);
        return Math.min(maxWindow.toMillis(), firstWindow.toMillis() << doublings);
    }

    /** Milliseconds until the counter lets an attempt through again; zero if it does now. */
    public long blockedForMillis(AttemptCounter counter, int threshold, long nowMillis) {
        long failures = effectiveFailures(counter, nowMillis);
        long until = counter.lastFailureMillis() + windowMillis(failures, threshold);
        return failures < threshold ? 0 : Math.max(0, until - nowMillis);
    }

    /** The {@code Retry-After} of a refusal that lasts {@code millis}: whole seconds, rounded up, at least 1. */
    public static int retryAfterSeconds(long millis) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (millis + 999) / 1000));
    }
}
