package dev.userapi.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The hit ratio of API Gateway's authorizer cache under a realistic traffic model, simulated (issue 21, goal 3): how
 * requests are spaced over hours and days cannot be replayed in a benchmark's minutes, so a seeded model generates each
 * user's authenticated requests in virtual time and the cache is replayed over them.
 *
 * <p><b>The cache</b>, as API Gateway documents it for a REST API's {@code TOKEN} authorizer
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.md, {@code authorizerResultTtlInSeconds}: "If it
 * equals 0, authorization caching is disabled. If it is greater than 0, API Gateway will cache authorizer responses
 * ... The maximum value is 3600"): the authorizer's result is cached under the token (the identity source) for the TTL
 * from the call that produced it; a request with that token within the TTL is a hit, later ones call the authorizer
 * again (a miss) and start a new TTL. Hits do not extend an entry. This is also what the local gateway's
 * {@code TokenAuthorizer} does, but it reads the real clock. Not modelled (each lowers the hit ratio on AWS): eviction,
 * and the cache being held per gateway node rather than once per stage.
 *
 * <p><b>The traffic</b> ({@link Model}): each user opens sessions on each of {@code days} days, a Poisson number per day
 * (mean {@code sessionsPerDay}) at instants uniform over the waking hours (07:00–23:00); a session is a geometric number
 * of authenticated requests (mean {@code requestsPerSession}, at least 1) separated by log-normal think times (mean
 * {@code thinkMeanSeconds}, log-space sigma {@code thinkSigma}). The user's client holds one access token: it is
 * replaced by a refresh (a new token, so the next request misses) when it has reached the app client's access-token
 * validity, and also at every session's start if {@code newTokenPerSession} (a client that keeps tokens in memory only
 * and refreshes on each app start). Refresh and login requests are public routes: they do not reach the authorizer and
 * are not counted.
 */
final class AuthorizerCacheSimulation {
    static final long DEFAULT_SEED = 20_261_202L;
    private static final double DAY = 86_400;
    private static final double WAKING_START = 7 * 3600;
    private static final double WAKING_HOURS = 16 * 3600;

    private AuthorizerCacheSimulation() {
    }

    /** One authenticated request: when (seconds of virtual time) and with which access token. */
    record Request(double atSeconds, long token) {
    }

    /** A traffic model's parameters (see the class comment). */
    record Model(String name, int users, int days, double sessionsPerDay, double requestsPerSession, double thinkMeanSeconds,
                 double thinkSigma, int tokenValiditySeconds, boolean newTokenPerSession) {
        Model withName(String n) {
            return new Model(n, users, days, sessionsPerDay, requestsPerSession, thinkMeanSeconds, thinkSigma, tokenValiditySeconds,
                    newTokenPerSession);
        }

        Model withThinkMean(double seconds) {
            return new Model(name, users, days, sessionsPerDay, requestsPerSession, seconds, thinkSigma, tokenValiditySeconds,
                    newTokenPerSession);
        }

        Model withRequestsPerSession(double mean) {
            return new Model(name, users, days, sessionsPerDay, mean, thinkMeanSeconds, thinkSigma, tokenValiditySeconds,
                    newTokenPerSession);
        }

        Model withNewTokenPerSession() {
            return new Model(name, users, days, sessionsPerDay, requestsPerSession, thinkMeanSeconds, thinkSigma, tokenValiditySeconds,
                    true);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("users", users);
            m.put("days", days);
            m.put("sessionsPerUserPerDay", sessionsPerDay);
            m.put("requestsPerSession", requestsPerSession);
            m.put("thinkTimeMeanSeconds", thinkMeanSeconds);
            m.put("thinkTimeLogSigma", thinkSigma);
            m.put("accessTokenValiditySeconds", tokenValiditySeconds);
            m.put("newTokenPerSession", newTokenPerSession);
            return m;
        }
    }

    /** The base model: 3 sessions a user a day, 6 authenticated requests a session, 30 s mean think time (sigma 1). */
    static Model base(int tokenValiditySeconds) {
        return new Model("base", 2_000, 7, 3, 6, 30, 1.0, tokenValiditySeconds, false);
    }

    /** What one model gives: its requests, how many tokens they used, and the hits for each TTL. */
    record Outcome(Model model, long requests, long tokens, Map<Integer, Long> hitsByTtl) {
        double hitRatio(int ttl) {
            return requests == 0 ? 0 : (double) hitsByTtl.get(ttl) / requests;
        }
    }

    static Outcome run(Model model, long seed, List<Integer> ttls) {
        List<Request> requests = traffic(model, seed);
        Map<Integer, Long> hits = new java.util.LinkedHashMap<>();
        for (int ttl : ttls) {
            hits.put(ttl, hits(requests, ttl));
        }
        long tokens = requests.stream().mapToLong(Request::token).distinct().count();
        return new Outcome(model, requests.size(), tokens, hits);
    }

    /**
     * The cache's hits over {@code requests} (any order; replayed in time order) for a TTL in seconds: a miss stores the
     * result until {@code miss + ttl} (exclusive), a hit changes nothing; a TTL of 0 caches nothing.
     */
    static long hits(List<Request> requests, int ttlSeconds) {
        if (ttlSeconds <= 0) {
            return 0;
        }
        List<Request> ordered = new ArrayList<>(requests);
        ordered.sort(Comparator.comparingDouble(Request::atSeconds));
        Map<Long, Double> expiresAt = new HashMap<>();
        long hits = 0;
        for (Request r : ordered) {
            Double expires = expiresAt.get(r.token());
            if (expires != null && r.atSeconds() < expires) {
                hits++;
            } else {
                expiresAt.put(r.token(), r.atSeconds() + ttlSeconds);
            }
        }
        return hits;
    }

    /** The model's authenticated requests, every user's, generated from {@code seed} alone (the same seed, the same list). */
    static List<Request> traffic(Model model, long seed) {
        Random random = new Random(seed);
        List<Request> requests = new ArrayList<>();
        long nextToken = 0;
        double thinkMu = Math.log(model.thinkMeanSeconds()) - model.thinkSigma() * model.thinkSigma() / 2;
        for (int user = 0; user < model.users(); user++) {
            // the user's requests in time order (sessions may overlap: one client, one token), each marked if it opens a session
            List<double[]> timeline = new ArrayList<>();
            for (int day = 0; day < model.days(); day++) {
                int count = poisson(random, model.sessionsPerDay());
                for (int s = 0; s < count; s++) {
                    double at = day * DAY + WAKING_START + random.nextDouble() * WAKING_HOURS;
                    int n = geometric(random, model.requestsPerSession());
                    for (int i = 0; i < n; i++) {
                        timeline.add(new double[] {at, i == 0 ? 1 : 0});
                        at += Math.exp(thinkMu + model.thinkSigma() * random.nextGaussian());
                    }
                }
            }
            timeline.sort(Comparator.comparingDouble(r -> r[0]));
            long token = -1;
            double issuedAt = Double.NEGATIVE_INFINITY;
            for (double[] r : timeline) {
                double t = r[0];
                boolean expired = t - issuedAt >= model.tokenValiditySeconds();
                if (token < 0 || expired || (r[1] == 1 && model.newTokenPerSession())) {
                    token = nextToken++;
                    issuedAt = t;
                }
                requests.add(new Request(t, token));
            }
        }
        return requests;
    }

    /** Knuth's method; fine for the small means used here. */
    static int poisson(Random random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            k++;
            product *= random.nextDouble();
        }
        return k;
    }

    /** A geometric count on 1, 2, 3 ... with the given mean (at least 1). */
    static int geometric(Random random, double mean) {
        if (mean <= 1) {
            return 1;
        }
        double p = 1 / mean;
        double u = 1 - random.nextDouble(); // (0, 1]
        return 1 + (int) Math.floor(Math.log(u) / Math.log(1 - p));
    }
}
