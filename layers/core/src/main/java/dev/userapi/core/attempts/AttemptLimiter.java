package dev.userapi.core.attempts;

import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.CodeMismatchException;
import dev.userapi.core.problem.ExpiredCodeException;
import dev.userapi.core.problem.InvalidCredentialsException;
import dev.userapi.core.problem.TooManyRequestsException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Limits guesses of passwords and codes (docs/SECURITY.md item 29): per (address, source IP) after
 * {@link AttemptPolicy#pairThreshold()} consecutive failures and per address from any source after
 * {@link AttemptPolicy#addressThreshold()}, further attempts — a correct one too — get 429
 * {@code TooManyRequests} with {@code Retry-After}, for windows that double up to a cap. The decision
 * rests on the stored counters' timestamps, never on the table's TTL (which only cleans up).
 *
 * <p>One call guards one attempt: {@code limiter.guard(kind, address, sourceIp, () -> cognito.login(...))}.
 * A failure is an {@link InvalidCredentialsException}, {@link CodeMismatchException} or
 * {@link ExpiredCodeException} thrown by the attempt; any other outcome neither counts nor resets.
 *
 * <ul>
 *   <li><b>Happy path</b>: one read (both counters, one request); no write when neither counter holds a
 *       failure and the attempt succeeds.</li>
 *   <li><b>Failure with clean counters</b>: both counters are incremented atomically (ADD), so
 *       concurrent failures are all counted.</li>
 *   <li><b>Counters holding failures</b>: the attempt is counted as a failure <em>before</em> it is
 *       made, conditioned on the counters still holding what was read; of concurrent attempts one wins
 *       each state and the others read again, so no more attempts get through than the thresholds
 *       allow. A success then removes both counters; another outcome than a failure puts them back.</li>
 * </ul>
 * The keys depend only on the kind, the address and the IP — never on whether an account exists — so
 * answers, writes and timing are the same for unknown addresses. Addresses and IPs are stored hashed.
 */
public final class AttemptLimiter {
    private static final Log LOG = Log.of(AttemptLimiter.class);
    /** Reservation rounds lost to concurrent attempts before answering 429 (fail closed). */
    static final int MAX_ROUNDS = 8;

    private final AttemptStore store;
    private final AttemptPolicy policy;
    private final Clock clock;

    public AttemptLimiter(AttemptStore store, AttemptPolicy policy, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
    }

    /** Runs {@code attempt} unless the counters refuse it; counts its failure or resets on success. */
    public <T> T guard(AttemptKind kind, String address, String sourceIp, Supplier<T> attempt) {
        String addressKey = addressKey(kind, address);
        String pairKey = sourceKey(sourceIp);
        for (int round = 0; ; round++) {
            long now = clock.millis();
            AttemptStore.Pair seen = store.read(addressKey, pairKey);
            long blocked = Math.max(policy.blockedForMillis(seen.pair(), policy.pairThreshold(), now),
                    policy.blockedForMillis(seen.address(), policy.addressThreshold(), now));
            if (blocked > 0) {
                LOG.info("attempt refused by the limiter", "kind", kind.name(), "retryAfterMillis", blocked);
                throw new TooManyRequestsException(AttemptPolicy.retryAfterSeconds(blocked), null);
            }
            long pairFailures = policy.effectiveFailures(seen.pair(), now);
            long addressFailures = policy.effectiveFailures(seen.address(), now);
            if (pairFailures == 0 && addressFailures == 0) {
                return unreserved(addressKey, pairKey, attempt);
            }
            AttemptStore.Pair next = new AttemptStore.Pair(new AttemptCounter(pairFailures + 1, now),
                    new AttemptCounter(addressFailures + 1, now));
            if (store.reserve(addressKey, pairKey, seen, next, expiresAt(now))) {
                return reserved(addressKey, pairKey, seen, next, attempt);
            }
            if (round + 1 >= MAX_ROUNDS) {
                throw new TooManyRequestsException(1, null);
            }
        }
    }

    /** As {@link #guard(AttemptKind, String, String, Supplier)} for an attempt without a result. */
    public void guard(AttemptKind kind, String address, String sourceIp, Runnable attempt) {
        guard(kind, address, sourceIp, () -> {
            attempt.run();
            return null;
        });
    }

    /**
     * Counts one try of a sign-in session that allows {@code max} (Cognito ends an e-mail code's session after three
     * wrong codes; the API ends its own sessions alike): false once {@code max} were counted. Keyed by the session's
     * hash, so a real and a fake session cost and answer the same.
     */
    public boolean countSessionTry(AttemptKind kind, String session, int max, long expiresAtSeconds) {
        return store.countTry("ATTEMPTS#" + kind.name() + "#SESSION#" + sha256(session), max, expiresAtSeconds);
    }

    private <T> T unreserved(String addressKey, String pairKey, Supplier<T> attempt) {
        try {
            return attempt.get();
        } catch (ApiException e) {
            if (isFailure(e)) {
                long now = clock.millis();
                store.addFailure(addressKey, pairKey, now, now - policy.forgetAfter().toMillis(), expiresAt(now));
            }
            throw e;
        }
    }

    private <T> T reserved(String addressKey, String pairKey, AttemptStore.Pair seen, AttemptStore.Pair next,
                           Supplier<T> attempt) {
        T result;
        try {
            result = attempt.get();
        } catch (RuntimeException e) {
            if (!isFailure(e)) {
                store.undo(addressKey, pairKey, next, seen, expiresAt(clock.millis()));
            }
            throw e;
        }
        try {
            store.reset(addressKey, pairKey);
        } catch (RuntimeException e) {
            // the attempt succeeded: its answer stands; the counters stay until the next success or forgetAfter
            LOG.warn("could not reset the attempt counters after a success", e);
        }
        return result;
    }

    /** A wrong guess: what the attempt throws when the password or code is wrong (or the code expired). */
    static boolean isFailure(RuntimeException e) {
        return e instanceof InvalidCredentialsException || e instanceof CodeMismatchException
                || e instanceof ExpiredCodeException;
    }

    private long expiresAt(long nowMillis) {
        return (nowMillis + policy.forgetAfter().toMillis() + policy.maxWindow().toMillis()) / 1000 + 1;
    }

    /** The partition of one address's counters for one kind: the address hashed, never stored in the clear. */
    static String addressKey(AttemptKind kind, String address) {
        return "ATTEMPTS#" + kind.name() + "#" + sha256(address.toLowerCase(Locale.ROOT));
    }

    /** The sort key of one source's counter under an address (the address-wide one is {@code ANY}). */
    static String sourceKey(String sourceIp) {
        return "IP#" + sha256(sourceIp == null ? "" : sourceIp);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
