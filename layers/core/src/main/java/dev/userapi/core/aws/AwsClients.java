package dev.userapi.core.aws;

import dev.userapi.core.config.AppConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds SDK clients the way a Lambda function should: explicit region, the function's own credentials (from {@link AppConfig}), the
 * lightweight URLConnection HTTP client, short timeouts, and an endpoint override from configuration
 * (DynamoDB Local, cognito-local) when one is set.
 */
public final class AwsClients {
    /** Connect and per-attempt timeouts: a dependency that does not answer fails fast as 503. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(6);

    private AwsClients() {
    }

    public static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
    }

    /** A DynamoDB client for the function's region, credentials and (DynamoDB Local) endpoint. */
    public static DynamoDbClient dynamoDb(AppConfig config) {
        return measured(configure(DynamoDbClient.builder(), config, config.dynamoDbEndpoint())).build();
    }

    /**
     * A DynamoDB client that gives up within {@code budget}: for callers with a hard deadline of
     * their own (Cognito gives a trigger 5 seconds) that have a safe answer when the read fails.
     */
    public static DynamoDbClient dynamoDb(AppConfig config, Duration budget) {
        return measured(configure(DynamoDbClient.builder(), config, config.dynamoDbEndpoint(), budget)).build();
    }

    /** Adds the {@link CapacityRecorder} when {@code MEASURE_CAPACITY} is set (measurement runs only; off by default). */
    private static DynamoDbClientBuilder measured(DynamoDbClientBuilder builder) {
        CapacityRecorder.fromEnvironment().ifPresent(recorder ->
                builder.overrideConfiguration(builder.overrideConfiguration().toBuilder().addExecutionInterceptor(recorder).build()));
        return builder;
    }

    /**
     * Applies region, credentials, HTTP client, timeouts and retries to any service client builder, and the
     * {@link PrimingGuard} (during SnapStart priming only reads are sent).
     */
    public static <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C>
            B configure(B builder, AppConfig config, Optional<URI> endpoint) {
        return configure(builder, config, endpoint, API_CALL_TIMEOUT);
    }

    /** As {@link #configure(AwsClientBuilder, AppConfig, Optional)}, for callers that must give up within {@code budget}. */
    public static <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C>
            B configure(B builder, AppConfig config, Optional<URI> endpoint, Duration budget) {
        Duration attempt = budget.compareTo(SOCKET_TIMEOUT) < 0 ? budget : SOCKET_TIMEOUT;
        builder.region(Region.of(config.region()))
                .credentialsProvider(config.credentials())
                .httpClient(httpClient())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(budget)
                        .apiCallAttemptTimeout(attempt)
                        .retryStrategy(RetryMode.STANDARD)
                        .addExecutionInterceptor(PrimingGuard.INSTANCE)
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }
}
