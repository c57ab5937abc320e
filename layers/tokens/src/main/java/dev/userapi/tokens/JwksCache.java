package dev.userapi.tokens;

import static dev.userapi.tokens.TokenInvalidException.Reason.JWKS_UNAVAILABLE;
import static dev.userapi.tokens.TokenInvalidException.Reason.UNKNOWN_KEY;
import static dev.userapi.tokens.TokenInvalidException.Reason.UNUSABLE_KEY;

import dev.userapi.tokens.JwkSet.SigningKey;
import dev.userapi.core.log.Log;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The signing keys of one JWKS URL, cached for the life of the execution environment.
 *
 * <ul>
 *   <li><b>Lookups of known keys never do I/O</b> and take no lock, so cached keys keep working while
 *       the endpoint is down or slow.</li>
 *   <li><b>Penalty box:</b> a {@code kid} that is not cached triggers a refetch only if no
 *       request-triggered fetch happened in the last {@link #DEFAULT_REFETCH_INTERVAL 10 s} (whatever
 *       its outcome). Random {@code kid}s therefore cost at most one fetch per 10 s, and a key that the
 *       issuer really rotated in is found by the first token that names it after the window, never
 *       locked out for longer. (jwks-rsa's default 10-per-minute bucket can be emptied by junk
 *       {@code kid}s and then refuses the real one for up to a minute; aws-jwt-verify only boxes
 *       fetches whose result lacked the kid, so a down endpoint is hit by every request.)</li>
 *   <li><b>Only good documents replace good keys:</b> a fetch that fails, times out, is too large, is
 *       not strict JSON or holds no usable key leaves the cached keys as they were.</li>
 *   <li><b>Removed keys go away:</b> once the cached set is older than {@code maxAge}, the next lookup
 *       (penalty box permitting) refetches it first, so a key the issuer withdrew stops verifying
 *       within {@code maxAge}; if that refetch fails, the cached keys are used.</li>
 *   <li>{@link #load()} (initialisation, SnapStart's {@code beforeCheckpoint}) fetches regardless of
 *       the penalty box and does not arm it.</li>
 * </ul>
 * Thread-safe: fetches are single-flight under a lock; readers see an immutable {@link JwkSet}.
 */
public final class JwksCache {
    public static final Duration DEFAULT_REFETCH_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);

    private static final Log LOG = Log.of(JwksCache.class);

    private final URI url;
    private final JwksFetcher fetcher;
    private final Clock clock;
    private final Duration refetchInterval;
    private final Duration maxAge;
    private final Object lock = new Object();

    private volatile JwkSet keys = JwkSet.EMPTY;
    private volatile Instant loadedAt;
    /** When a request last caused a fetch; guarded by {@link #lock}. */
    private Instant lastTriggeredFetch;
    /** Fetch attempts made so far, for metrics and tests. */
    private volatile long fetches;

    public JwksCache(URI url, JwksFetcher fetcher, Clock clock) {
        this(url, fetcher, clock, DEFAULT_REFETCH_INTERVAL, DEFAULT_MAX_AGE);
    }

    public JwksCache(URI url, JwksFetcher fetcher, Clock clock, Duration refetchInterval, Duration maxAge) {
        this.url = Objects.requireNonNull(url, "url");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refetchInterval = Objects.requireNonNull(refetchInterval, "refetchInterval");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        if (refetchInterval.isNegative() || maxAge.compareTo(refetchInterval) < 0) {
            throw new IllegalArgumentException("need 0 <= refetchInterval <= maxAge");
        }
    }

    public URI url() {
        return url;
    }

    /** Fetches the JWKS now, ignoring the penalty box; true if usable keys are cached afterwards. */
    public boolean load() {
        synchronized (lock) {
            fetchAndReplace("load");
        }
        return !keys.isEmpty();
    }

    /** Whether any usable key is cached. */
    public boolean isLoaded() {
        return !keys.isEmpty();
    }

    /** The kids of the usable cached keys. */
    java.util.Set<String> kids() {
        return keys.kids();
    }

    /** How many fetches have been attempted. */
    public long fetchCount() {
        return fetches;
    }

    /**
     * The key named {@code kid}, from the cache or, penalty box permitting, after one refetch.
     *
     * @throws TokenInvalidException {@code UNKNOWN_KEY}, {@code UNUSABLE_KEY} or {@code JWKS_UNAVAILABLE}
     */
    SigningKey key(String kid) {
        JwkSet current = keys;
        SigningKey key = current.find(kid);
        if (key != null && !isStale()) {
            return key;
        }
        if (key == null && current.whyUnusable(kid) != null && !isStale()) {
            throw new TokenInvalidException(UNUSABLE_KEY, current.whyUnusable(kid));
        }
        synchronized (lock) {
            current = keys;
            key = current.find(kid);
            boolean stale = isStale();
            if (key != null && !stale) {
                return key; // another thread refreshed while we waited
            }
            Instant now = clock.instant();
            boolean allowed = lastTriggeredFetch == null || !now.isBefore(lastTriggeredFetch.plus(refetchInterval));
            if (allowed) {
                lastTriggeredFetch = now;
                fetchAndReplace(key == null ? "unknown kid" : "keys older than " + maxAge);
                current = keys;
                key = current.find(kid);
            }
            if (key != null) {
                return key; // a stale but still cached key keeps working when the refresh fails
            }
            if (current.whyUnusable(kid) != null) {
                throw new TokenInvalidException(UNUSABLE_KEY, current.whyUnusable(kid));
            }
            if (current.isEmpty()) {
                throw new TokenInvalidException(JWKS_UNAVAILABLE,
                        allowed ? "JWKS could not be loaded" : "JWKS not loaded; refetch suppressed by the penalty box");
            }
            throw new TokenInvalidException(UNKNOWN_KEY,
                    allowed ? "kid not in the JWKS" : "kid not cached; refetch suppressed by the penalty box");
        }
    }

    private boolean isStale() {
        Instant at = loadedAt;
        return at != null && !clock.instant().isBefore(at.plus(maxAge));
    }

    /** Caller holds {@link #lock}. */
    private void fetchAndReplace(String why) {
        fetches++;
        long started = System.nanoTime();
        try {
            byte[] body = fetcher.fetch(url);
            JwkSet fresh = JwkSet.parse(body).reusing(keys);
            keys = fresh;
            loadedAt = clock.instant();
            LOG.info("JWKS loaded", "url", url.toString(), "why", why, "kids", String.join(",", fresh.kids()),
                    "millis", (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("JWKS fetch failed; cached keys kept", "url", url.toString(), "why", why,
                    "error", e.getClass().getSimpleName(), "detail", String.valueOf(e.getMessage()),
                    "cachedKeys", keys.kids().size(), "millis", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("JWKS fetch failed unexpectedly; cached keys kept", e, "url", url.toString(), "why", why);
        }
    }
}
