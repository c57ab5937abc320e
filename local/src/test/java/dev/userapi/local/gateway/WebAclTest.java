package dev.userapi.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.local.ProjectLayout;
import dev.userapi.local.template.LocalResources;
import dev.userapi.local.template.SamTemplate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** docs/SECURITY.md item 30, locally: the template's WAF per-IP rate rules, with low limits and a clock the test moves. */
class WebAclTest {
    private static final Map<String, String> PSEUDO = Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "123456789012",
            "AWS::StackName", "user-api-local", "AWS::Partition", "aws", "AWS::URLSuffix", "amazonaws.com");
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    private WebAcl acl(Map<String, String> overrides) {
        LocalResources physical = new LocalResources().put("UsersTable", "local-table").put("UserPool", "local_pool")
                .put("UserPoolClient", "local-client").put("Api", "localapi");
        SamTemplate template = SamTemplate.load(new ProjectLayout(ProjectLayout.findRoot()).template(), overrides, PSEUDO, physical);
        return WebAcl.fromTemplate(template, now::get);
    }

    @Test
    void theTemplatesRules_areReadWithTheirParameters() {
        WebAcl acl = acl(Map.of("WafAuthRequestsPerIp", "150", "WafRequestsPerIp", "3000"));
        assertThat(acl.rules()).extracting(WebAcl.RateRule::name, WebAcl.RateRule::limit, WebAcl.RateRule::windowSeconds)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("auth-per-ip", 150L, 300L),
                        org.assertj.core.groups.Tuple.tuple("all-per-ip", 3000L, 300L));
        assertThat(acl(Map.of("WafEnabled", "false")).rules()).as("WafEnabled=false: no web ACL").isEmpty();
    }

    @Test
    void s30_oneAddressOverTheAuthLimit_isBlockedOnAuth_othersAndOtherRoutesAreNot() {
        WebAcl acl = acl(Map.of("WafAuthRequestsPerIp", "100", "WafRequestsPerIp", "100000"));
        for (int i = 0; i < 100; i++) {
            assertThat(acl.evaluate("203.0.113.7", "/auth/login")).as("request " + (i + 1)).isEmpty();
        }
        assertThat(acl.evaluate("203.0.113.7", "/auth/login")).contains("auth-per-ip");
        assertThat(acl.evaluate("203.0.113.7", "/AUTH/sign-up")).as("LOWERCASE transformation").contains("auth-per-ip");
        assertThat(acl.evaluate("198.51.100.9", "/auth/login")).as("another address").isEmpty();
        assertThat(acl.evaluate("203.0.113.7", "/me")).as("outside the scope-down statement").isEmpty();
    }

    @Test
    void s30_theBlockLasts_untilTheCountInTheEvaluationWindowFallsBack() {
        WebAcl acl = acl(Map.of("WafAuthRequestsPerIp", "100", "WafRequestsPerIp", "100000"));
        for (int i = 0; i < 100; i++) {
            acl.evaluate("203.0.113.7", "/auth/login");
            now.addAndGet(SECOND);
        }
        assertThat(acl.evaluate("203.0.113.7", "/auth/login")).contains("auth-per-ip");
        now.addAndGet(100 * SECOND); // the window (300 s) still holds more than 100 requests
        assertThat(acl.evaluate("203.0.113.7", "/auth/login")).contains("auth-per-ip");
        now.addAndGet(300 * SECOND);
        assertThat(acl.evaluate("203.0.113.7", "/auth/login")).as("a quiet window later").isEmpty();
    }

    @Test
    void s30_theGlobalRule_countsEveryPath_andARequestTheAuthRuleBlocksIsNotCountedByIt() {
        WebAcl acl = acl(Map.of("WafAuthRequestsPerIp", "100", "WafRequestsPerIp", "150"));
        for (int i = 0; i < 101; i++) {
            acl.evaluate("203.0.113.7", "/auth/login"); // the 101st is blocked by auth-per-ip, before all-per-ip
        }
        for (int i = 0; i < 50; i++) {
            assertThat(acl.evaluate("203.0.113.7", "/nowhere")).as("request " + (i + 101) + " counted by all-per-ip").isEmpty();
        }
        assertThat(acl.evaluate("203.0.113.7", "/me")).contains("all-per-ip");
        assertThat(acl.evaluate("192.0.2.1", "/me")).isEqualTo(Optional.empty());
    }

    @Test
    void s30_aRateBlock_isThrottling_429TooManyRequestsWithRetryAfter_asTheContractSays_neverEchoingTheOrigin() throws Exception {
        WebAcl acl = acl(Map.of("WafAuthRequestsPerIp", "100", "WafRequestsPerIp", "150"));
        for (int i = 0; i < 100; i++) {
            acl.check("203.0.113.7", "/auth/login");
        }
        WebAcl.Block auth = acl.check("203.0.113.7", "/auth/login").orElseThrow();
        for (int i = 0; i < 150; i++) {
            acl.check("198.51.100.9", "/me");
        }
        WebAcl.Block global = acl.check("198.51.100.9", "/me").orElseThrow();
        for (WebAcl.Block block : java.util.List.of(auth, global)) {
            WebAcl.BlockResponse response = block.response().orElseThrow(() -> new AssertionError(block.rule() + ": no custom response"));
            assertThat(response.status()).as(block.rule()).isEqualTo(429);
            assertThat(response.headers()).as(block.rule()).containsEntry("Retry-After", "300").containsEntry("Cache-Control", "no-store")
                    .containsEntry("X-Content-Type-Options", "nosniff").containsKey("Access-Control-Allow-Origin");
            assertThat(response.contentType()).contains("application/json");
            com.fasterxml.jackson.databind.JsonNode body = dev.userapi.core.json.Json.readTree(
                    new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(body.path("status").asInt()).isEqualTo(429);
            assertThat(body.path("code").asText()).isEqualTo("TooManyRequests");
            assertThat(body.path("type").asText()).isEqualTo("https://userapi.dev/problems/too-many-requests");
        }
        assertThat(acl(Map.of("AllowedOrigins", "https://app.example")).rules().get(0).response().orElseThrow().headers())
                .as("one allowed origin: that origin, never the request's").containsEntry("Access-Control-Allow-Origin", "https://app.example");
        assertThat(acl(Map.of("AllowedOrigins", "https://a.example,https://b.example")).rules().get(0).response().orElseThrow().headers())
                .as("several: *").containsEntry("Access-Control-Allow-Origin", "*");
    }

    @Test
    void s30_aManagedRuleBlock_isAnsweredWithTheTemplatesWafFilteredResponse_a403ProblemWithoutTheOrigin() {
        LocalResources physical = new LocalResources().put("UsersTable", "local-table").put("UserPool", "local_pool")
                .put("UserPoolClient", "local-client").put("Api", "localapi");
        SamTemplate template = SamTemplate.load(new ProjectLayout(ProjectLayout.findRoot()).template(), Map.of(), PSEUDO, physical);
        template.logicalIdsOfType(SamTemplate.FUNCTION).forEach(id -> physical.put(id, id));
        template.logicalIdsOfType("AWS::Serverless::LayerVersion").forEach(id -> physical.put(id, id));
        GatewayResponses responses = new GatewayResponses(template.restApi().orElseThrow().gatewayResponses(), "dev");
        GatewayResponses.Rendered rendered = responses.render(GatewayResponses.Type.WAF_FILTERED, Optional.empty(), "req-1", null, "POST",
                name -> name.equalsIgnoreCase("Origin") ? Optional.of("https://evil.example") : Optional.empty());
        assertThat(rendered.status()).isEqualTo(403);
        assertThat(rendered.headers().get("Content-Type")).containsExactly("application/problem+json");
        assertThat(rendered.headers().get("Cache-Control")).containsExactly("no-store");
        assertThat(new String(rendered.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"code\":\"Forbidden\"")
                .contains("\"requestId\":\"req-1\"").doesNotContain("evil");
    }
}
