package dev.userapi.local.cognito;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cognito's lockout after failed sign-ins (developer guide, "Lockout behavior for failed sign-in
 * attempts"): after five failed password (or MFA code) attempts the user is locked out for one
 * second, doubling with each further failure up to about 15 minutes ({@code 2^(n-5)} s for n
 * failures). Attempts during a lockout answer {@code NotAuthorizedException: Password attempts
 * exceeded} and do not count. A success after the lockout ended, or 15 minutes without attempts,
 * resets the count. cognito-local has no lockout at all.
 */
final class Lockout {
    static final int FREE_ATTEMPTS = 5;
    static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
    static final Duration RESET_AFTER = Duration.ofMinutes(15);

    private record State(int failures, Instant lockedUntil, Instant lastAttempt) {
    }

    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    Lockout(Clock clock) {
        this.clock = clock;
    }

    /** Refuses an attempt while {@code user} is locked out. */
    void check(String user) throws CognitoError {
        State state = current(user);
        if (state != null && state.lockedUntil() != null && clock.instant().isBefore(state.lockedUntil())) {
            throw CognitoError.notAuthorized("Password attempts exceeded");
        }
    }

    void failed(String user) {
        Instant now = clock.instant();
        states.compute(user, (k, old) -> {
            State state = old == null || stale(old, now) ? new State(0, null, now) : old;
            int failures = state.failures() + 1;
            Instant lockedUntil = failures >= FREE_ATTEMPTS ? now.plus(lockout(failures)) : null;
            return new State(failures, lockedUntil, now);
        });
    }

    void succeeded(String user) {
        states.remove(user);
    }

    /** {@code 2^(n-5)} seconds, at most {@link #MAX_LOCKOUT}. */
    static Duration lockout(int failures) {
        int exponent = failures - FREE_ATTEMPTS;
        Duration window = exponent >= 20 ? MAX_LOCKOUT : Duration.ofSeconds(1L << exponent);
        return window.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : window;
    }

    private State current(String user) {
        State state = states.get(user);
        if (state != null && stale(state, clock.instant())) {
            states.remove(user, state);
            return null;
        }
        return state;
    }

    private static boolean stale(State state, Instant now) {
        return !now.isBefore(state.lastAttempt().plus(RESET_AFTER));
    }
}
