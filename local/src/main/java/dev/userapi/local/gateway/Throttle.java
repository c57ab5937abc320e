package dev.userapi.local.gateway;

import dev.userapi.local.template.MethodThrottling;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The stage's throttling as API Gateway applies it: a token bucket per method (resource path and
 * HTTP method) holding up to the burst limit and refilled at the rate limit, with the limits of the
 * most specific {@code MethodSettings} entry (a method's own entry, else the stage default
 * {@code /*}, {@code *}). A request that finds the bucket empty is answered with {@code THROTTLED}
 * (429) before the authorizer or the function runs.
 */
public final class Throttle {
    private final List<MethodThrottling> settings;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public Throttle(List<MethodThrottling> settings, LongSupplier nanoTime) {
        this.settings = List.copyOf(settings);
        this.nanoTime = nanoTime;
    }

    /** Whether a request to {@code method} on {@code resource} (the route's path template) may go on. */
    public boolean admit(String method, String resource) {
        Optional<MethodThrottling> limits = limitsFor(method, resource);
        if (limits.isEmpty()) {
            return true;
        }
        Bucket bucket = buckets.computeIfAbsent(method + " " + resource, k -> new Bucket(limits.get(), nanoTime.getAsLong()));
        return bucket.take(nanoTime.getAsLong());
    }

    Optional<MethodThrottling> limitsFor(String method, String resource) {
        return settings.stream().filter(s -> s.resource().equals(resource) && (s.httpMethod().equals(method) || s.httpMethod().equals("*")))
                .findFirst()
                .or(() -> settings.stream().filter(MethodThrottling::isStageDefault).findFirst());
    }

    private static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long last;

        Bucket(MethodThrottling limits, long now) {
            this.capacity = Math.max(0, limits.burstLimit());
            this.perNano = Math.max(0, limits.rateLimit()) / 1_000_000_000d;
            this.tokens = capacity;
            this.last = now;
        }

        synchronized boolean take(long now) {
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
