package dev.userapi.core.aws;

import dev.userapi.core.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds SDK clients the way a Lambda function should: explicit region, explicit credentials, the
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

    public static DynamoDbClient dynamoDb(String region, Optional<URI> endpoint) {
        return configure(DynamoDbClient.builder(), region, endpoint).build();
    }

    /**
     * A DynamoDB client that gives up within {@code budget}: for callers with a hard deadline of
     * their own (Cognito gives a trigger 5 seconds) that have a safe answer when the read fails.
     */
    public static DynamoDbClient dynamoDb(String region, Optional<URI> endpoint, Duration budget) {
        return configure(DynamoDbClient.builder(), region, endpoint, budget).build();
    }

    /** Applies region, credentials, HTTP client, timeouts and retries to any service client builder. */
    public static <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C>
            B configure(B builder, String region, Optional<URI> endpoint) {
        return configure(builder, region, endpoint, API_CALL_TIMEOUT);
    }

    /** As {@link #configure(AwsClientBuilder, String, Optional)}, for callers that must give up within {@code budget}. */
    public static <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C>
            B configure(B builder, String region, Optional<URI> endpoint, Duration budget) {
        Duration attempt = budget.compareTo(SOCKET_TIMEOUT) < 0 ? budget : SOCKET_TIMEOUT;
        builder.region(Region.of(region))
                .credentialsProvider(credentialsProvider())
                .httpClient(httpClient())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(budget)
                        .apiCallAttemptTimeout(attempt)
                        .retryStrategy(RetryMode.STANDARD)
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    /**
     * Lambda's own credentials: the container endpoint when the runtime provides one (SnapStart
     * functions), otherwise the variables the runtime sets. Read from {@link Env}, so the local
     * stack can give each function its (dummy) credentials without touching the process
     * environment.
     */
    public static AwsCredentialsProvider credentialsProvider() {
        Map<String, String> env = Env.current();
        if (env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) {
            return ContainerCredentialsProvider.builder().build();
        }
        return new EnvCredentials(env);
    }

    private record EnvCredentials(Map<String, String> env) implements AwsCredentialsProvider {
        @Override
        public AwsCredentials resolveCredentials() {
            String key = Env.require(env, "AWS_ACCESS_KEY_ID");
            String secret = Env.require(env, "AWS_SECRET_ACCESS_KEY");
            return Env.optional(env, "AWS_SESSION_TOKEN")
                    .<AwsCredentials>map(token -> AwsSessionCredentials.create(key, secret, token))
                    .orElseGet(() -> AwsBasicCredentials.create(key, secret));
        }
    }
}
