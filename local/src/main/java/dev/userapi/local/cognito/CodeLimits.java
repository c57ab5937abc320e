package dev.userapi.local.cognito;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lifetimes and attempt limits of the codes Cognito e-mails, which cognito-local lacks (its codes
 * never expire and can be guessed forever): a sign-up confirmation code is valid for 24 hours, a
 * password-reset code for one hour; a wrong code answers {@code CodeMismatchException}, and after
 * {@link #MAX_FAILURES} wrong codes every attempt, even with the right code, answers
 * {@code LimitExceededException} until a new code is issued. Issue times are kept in memory: a
 * code issued before a restart is not known to expire.
 */
final class CodeLimits {
    static final int MAX_FAILURES = 5;

    enum Purpose {
        CONFIRM_SIGN_UP(Duration.ofHours(24)),
        RESET_PASSWORD(Duration.ofHours(1)),
        VERIFY_ATTRIBUTE(Duration.ofHours(24));

        final Duration lifetime;

        Purpose(Duration lifetime) {
            this.lifetime = lifetime;
        }
    }

    private record Issued(Purpose purpose, Instant at, int failures) {
    }

    private final Clock clock;
    private final Map<String, Issued> byUser = new ConcurrentHashMap<>();

    CodeLimits(Clock clock) {
        this.clock = clock;
    }

    /** A new code was sent to {@code user} (cognito-local's username): the count starts again. */
    void issued(String user, Purpose purpose) {
        byUser.put(user, new Issued(purpose, clock.instant(), 0));
    }

    /**
     * Judges one attempt at {@code user}'s code before cognito-local sees it; returns normally when
     * the code is right and still valid (the attempt may then proceed).
     */
    void attempt(String user, Purpose purpose, boolean matches) throws CognitoError {
        Issued issued = byUser.get(user);
        if (issued != null && issued.failures() >= MAX_FAILURES) {
            throw new CognitoError("LimitExceededException", "Attempt limit exceeded, please try after some time.");
        }
        if (!matches) {
            byUser.compute(user, (k, old) -> old == null ? new Issued(purpose, Instant.EPOCH, 1)
                    : new Issued(old.purpose(), old.at(), old.failures() + 1));
            throw new CognitoError("CodeMismatchException", "Invalid verification code provided, please try again.");
        }
        if (issued != null && issued.at().isAfter(Instant.EPOCH)
                && !clock.instant().isBefore(issued.at().plus(issued.purpose().lifetime))) {
            throw new CognitoError("ExpiredCodeException", "Invalid code provided, please request a code again.");
        }
    }

    /** The code was used: it cannot be used again, and a later one starts a new count. */
    void used(String user) {
        byUser.remove(user);
    }
}
