package dev.userapi.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.bench.AuthorizerCacheSimulation.Model;
import dev.userapi.bench.AuthorizerCacheSimulation.Request;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The authorizer cache simulation's core: API Gateway's TOKEN cache replayed over requests, and the seeded traffic model. */
class AuthorizerCacheSimulationTest {
    private static List<Request> oneToken(double... times) {
        return java.util.Arrays.stream(times).mapToObj(t -> new Request(t, 7)).toList();
    }

    @Test
    void ttlZero_cachesNothing() {
        assertThat(AuthorizerCacheSimulation.hits(oneToken(0, 1, 2, 3), 0)).isZero();
    }

    @Test
    void nRequestsWithOneTokenWithinTheTtl_areOneMissAndNMinusOneHits() {
        assertThat(AuthorizerCacheSimulation.hits(oneToken(0, 10, 20, 30, 59.9), 60)).isEqualTo(4);
    }

    @Test
    void anEntryLastsTtlFromTheMiss_hitsDoNotExtendIt_andTheNextMissStartsANewOne() {
        // 0 miss (until 60), 40 hit, 60 miss (until 120), 100 hit, 125 miss
        assertThat(AuthorizerCacheSimulation.hits(oneToken(0, 40, 60, 100, 125), 60)).isEqualTo(2);
    }

    @Test
    void eachToken_missesOnItsFirstRequest_inTimeOrderWhateverTheListOrder() {
        List<Request> requests = List.of(new Request(5, 2), new Request(0, 1), new Request(1, 2), new Request(3, 1));

        assertThat(AuthorizerCacheSimulation.hits(requests, 300)).isEqualTo(2);
    }

    @Test
    void theTraffic_isTheSameForTheSameSeed_andDiffersForAnother() {
        Model model = AuthorizerCacheSimulation.base(1800);
        Model small = new Model("small", 20, 3, model.sessionsPerDay(), model.requestsPerSession(), model.thinkMeanSeconds(),
                model.thinkSigma(), 1800, false);

        List<Request> first = AuthorizerCacheSimulation.traffic(small, 42);

        assertThat(AuthorizerCacheSimulation.traffic(small, 42)).isEqualTo(first);
        assertThat(AuthorizerCacheSimulation.traffic(small, 43)).isNotEqualTo(first);
        assertThat(first).isNotEmpty();
    }

    @Test
    void aTokenIsNeverUsedPastTheAccessTokenValidity_andANewSessionGetsANewTokenWhenAsked() {
        Model kept = new Model("kept", 50, 3, 3, 6, 300, 1.0, 600, false);
        Map<Long, List<Double>> byToken = AuthorizerCacheSimulation.traffic(kept, 1).stream()
                .collect(Collectors.groupingBy(Request::token, Collectors.mapping(Request::atSeconds, Collectors.toList())));

        assertThat(byToken.values()).allSatisfy(times ->
                assertThat(times.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                        - times.stream().mapToDouble(Double::doubleValue).min().orElseThrow()).isLessThan(600));
        AuthorizerCacheSimulation.Outcome perSession = AuthorizerCacheSimulation.run(kept.withNewTokenPerSession(), 1, List.of(0));
        AuthorizerCacheSimulation.Outcome keptOutcome = AuthorizerCacheSimulation.run(kept, 1, List.of(0));
        assertThat(perSession.requests()).isEqualTo(keptOutcome.requests());
        assertThat(perSession.tokens()).isGreaterThanOrEqualTo(keptOutcome.tokens());
    }

    @Test
    void geometricAndPoissonCounts_haveRoughlyTheirMeans() {
        java.util.Random random = new java.util.Random(3);
        double geometric = java.util.stream.IntStream.range(0, 20_000).map(i -> AuthorizerCacheSimulation.geometric(random, 6)).average()
                .orElseThrow();
        double poisson = java.util.stream.IntStream.range(0, 20_000).map(i -> AuthorizerCacheSimulation.poisson(random, 3)).average()
                .orElseThrow();

        assertThat(geometric).isBetween(5.7, 6.3);
        assertThat(poisson).isBetween(2.85, 3.15);
    }
}
