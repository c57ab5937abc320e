package dev.userapi.local.fidelity;

import dev.userapi.local.DevStack;
import dev.userapi.local.testing.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * Where {@link CognitoFidelityIT} runs: a Cognito endpoint (SDK client), a pool and app client, the
 * hosted UI's base URL, a way to read the codes Cognito e-mails, and control of time. This class
 * is the only part of the fidelity test that knows the pool is the local one; pointed at a real
 * pool it would read codes from a test mailbox, and "advance" would wait.
 */
record CognitoTarget(CognitoIdentityProviderClient cognito, String poolId, String clientId, URI hostedUi, Codes codes, Time time) {
    interface Codes {
        String latest(String email, String... kinds);
    }

    interface Time {
        void freeze();

        void advance(Duration by);

        void release();
    }

    static CognitoTarget local() {
        DevStack stack = TestStack.get();
        URI layer = URI.create(stack.cognitoCompatEndpoint());
        HttpClient http = HttpClient.newHttpClient();
        Time time = new Time() {
            private void post(String json) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(layer.resolve("/_local/clock"))
                            .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("the local clock answered " + response.statusCode() + ": " + response.body());
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void freeze() {
                post("{\"freeze\": true}");
            }

            @Override
            public void advance(Duration by) {
                post("{\"advanceSeconds\": " + by.toSeconds() + "}");
            }

            @Override
            public void release() {
                post("{\"release\": true}");
            }
        };
        // no retries: the test states each answer once (the SDK would retry LimitExceededException)
        CognitoIdentityProviderClient cognito = CognitoIdentityProviderClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(layer)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        return new CognitoTarget(cognito, stack.userPoolId(), stack.userPoolClientId(), layer,
                (email, kinds) -> TestStack.outbox().latestCode(email, kinds), time);
    }
}
