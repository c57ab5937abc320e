package dev.userapi.webhooks;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.config.ConfigurationException;
import dev.userapi.core.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The event and webhook functions' own configuration ({@code template.yaml}); each function gets the variables it
 * uses, and a client is only built from a variable that is there ({@link #require}).
 *
 * @param eventBusName     {@code EVENT_BUS_NAME}: the custom bus the publisher puts events on
 * @param deliveryQueueUrl {@code DELIVERY_QUEUE_URL}: the queue of deliveries (retries are messages sent to it with a delay)
 * @param keyId            {@code WEBHOOK_KEY_ID}: the KMS key that encrypts webhook secrets
 * @param allowLoopback    {@code WEBHOOK_ALLOW_LOOPBACK} ({@code true}/{@code false}, default false): plain http to a
 *                         loopback address is allowed (template parameter {@code WebhookAllowLoopback})
 * @param retryBase        {@code WEBHOOK_RETRY_BASE_SECONDS} (default 10): the first retry's delay; each next one is 6× longer, at most 15 min
 * @param maxAttempts      {@code WEBHOOK_MAX_ATTEMPTS} (default 6): attempts before a delivery is dead
 * @param eventsEndpoint   {@code EVENTS_ENDPOINT}: EventBridge endpoint override (the local bus); absent on AWS
 * @param sqsEndpoint      {@code SQS_ENDPOINT}: SQS endpoint override (the local queue); absent on AWS
 * @param kmsEndpoint      {@code KMS_ENDPOINT}: KMS endpoint override (the local key service); absent on AWS
 */
public record WebhookConfig(
        Optional<String> eventBusName,
        Optional<String> deliveryQueueUrl,
        Optional<String> keyId,
        boolean allowLoopback,
        Duration retryBase,
        int maxAttempts,
        Optional<URI> eventsEndpoint,
        Optional<URI> sqsEndpoint,
        Optional<URI> kmsEndpoint) {

    public static WebhookConfig from(Map<String, String> env) {
        String loopback = Env.optional(env, "WEBHOOK_ALLOW_LOOPBACK").orElse("false");
        if (!loopback.equals("true") && !loopback.equals("false")) {
            throw new ConfigurationException("WEBHOOK_ALLOW_LOOPBACK must be true or false, was " + loopback);
        }
        return new WebhookConfig(
                Env.optional(env, "EVENT_BUS_NAME"),
                Env.optional(env, "DELIVERY_QUEUE_URL"),
                Env.optional(env, "WEBHOOK_KEY_ID"),
                Boolean.parseBoolean(loopback),
                Duration.ofSeconds(number(env, "WEBHOOK_RETRY_BASE_SECONDS", 10, 0, 900)),
                (int) number(env, "WEBHOOK_MAX_ATTEMPTS", 6, 1, 20),
                Env.optional(env, "EVENTS_ENDPOINT").map(v -> AppConfig.uri("EVENTS_ENDPOINT", v)),
                Env.optional(env, "SQS_ENDPOINT").map(v -> AppConfig.uri("SQS_ENDPOINT", v)),
                Env.optional(env, "KMS_ENDPOINT").map(v -> AppConfig.uri("KMS_ENDPOINT", v)));
    }

    /** A variable this function needs: absent means the template did not give it. */
    public static String require(Optional<String> value, String name) {
        return value.orElseThrow(() -> new ConfigurationException("Missing environment variable " + name));
    }

    private static long number(Map<String, String> env, String name, long fallback, long min, long max) {
        Optional<String> raw = Env.optional(env, name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(raw.get());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + " must be a number from " + min + " to " + max + ", was " + raw.get());
        }
    }
}
