package dev.userapi.e2e;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs beyond HTTP, checked at its start: when the target lacks it the test is skipped
 * by design (never silently: the runner prints each skip with the reason given here). Against the
 * test command's local stack every requirement holds, so every test runs.
 */
public final class Requires {
    /** Throttling limits at or above which the suite's bursts of requests are never throttled. */
    static final long HIGH_THROTTLING = 1000;

    private Requires() {
    }

    /** The local outbox ({@code GET /_local/outbox}): confirmation and reset codes, temporary passwords. */
    public static void outbox() {
        Assumptions.assumeTrue(Target.get().local(),
                "needs the local outbox: Cognito e-mails the codes of a deployed stack to an address nobody reads");
    }

    /** Flows that make Cognito send an e-mail (sign-up, resend, reset, created accounts): local stacks only. */
    public static void sendsEmail() {
        Assumptions.assumeTrue(Target.get().local(),
                "makes Cognito send an e-mail to an example.com address: not on a live system");
    }

    /** The local gateway's own features: the web client at /app/, the outbox route, cognito-local's hosted UI form. */
    public static void localGateway(String what) {
        Assumptions.assumeTrue(Target.get().local(), what + ": only a local stack serves it");
    }

    /** Tests that change what the whole stack holds (e.g. demote every other administrator): a throwaway local stack only. */
    public static void disposableStack(String what) {
        Assumptions.assumeTrue(Target.get().local(), what + ": only on a throwaway local stack, never on a deployed one");
    }

    /** The hosted sign-in turned on: always on a local stack; OAuthDomainPrefix and OAuthCallbackUrls on a deployed one. */
    public static void hostedSignIn() {
        Target target = Target.get();
        Assumptions.assumeTrue(target.local() || !target.setting("OAuthDomainPrefix").isBlank() && !target.setting("OAuthCallbackUrls").isBlank(),
                "needs the hosted sign-in: the stack has no OAuthDomainPrefix / OAuthCallbackUrls");
    }

    /** An administrator (the bootstrap one, or one this run made from it). */
    public static void admin() {
        Assumptions.assumeTrue(Target.get().bootstrapAdmin().isPresent(),
                "needs an administrator: set E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD (docs/DEPLOY.md)");
    }

    /** Cognito's admin APIs on the stack's pool. */
    public static void cognito() {
        Assumptions.assumeTrue(Target.get().cognito().isPresent(),
                "needs Cognito's admin APIs: --stack, or --cognito-endpoint/--user-pool-id/--client-id for a local stack");
    }

    /** Read access to the stack's table, for checking what the API wrote. */
    public static void dynamoDb() {
        Assumptions.assumeTrue(Target.get().dynamoDb().isPresent(),
                "reads the table: --stack, or --dynamodb-endpoint/--table for a local stack");
    }

    /** {@code AuthorizerCacheTtlSeconds=0}: a revocation refuses older tokens at once, not after the cache's TTL. */
    public static void authorizerCacheOff() {
        long ttl = Target.get().numericSetting("AuthorizerCacheTtlSeconds");
        Assumptions.assumeTrue(ttl == 0, "asserts that revocation is immediate: needs AuthorizerCacheTtlSeconds=0 (the stack has "
                + ttl + ")");
    }

    /**
     * Webhooks to a receiver this run starts on 127.0.0.1 ({@code WebhookAllowLoopback=true}: the local stack's
     * default, which the suite must be told with --parameter-overrides), delivered by a stack that reaches this machine.
     */
    public static void loopbackWebhooks() {
        Target target = Target.get();
        Assumptions.assumeTrue(target.local() && "true".equals(target.setting("WebhookAllowLoopback")),
                "delivers to a receiver on 127.0.0.1: needs a local stack and WebhookAllowLoopback=true");
    }

    /** Throttling limits a burst of test requests never reaches (the test command's stack: 10000). */
    public static void highThrottling() {
        Target target = Target.get();
        for (String name : new String[] {"AuthThrottlingRateLimit", "AuthThrottlingBurstLimit", "ThrottlingRateLimit",
            "ThrottlingBurstLimit"}) {
            long value = target.numericSetting(name);
            Assumptions.assumeTrue(value >= HIGH_THROTTLING, "sends bursts of requests: needs " + name + " >= " + HIGH_THROTTLING
                    + " (the stack has " + value + ")");
        }
    }
}
