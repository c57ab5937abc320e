package dev.userapi.core.config;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;

/**
 * Lambda's own credentials, from the function's environment: the container endpoint when the
 * runtime provides one ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, SnapStart functions), otherwise
 * the variables the runtime sets ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
 * {@code AWS_SESSION_TOKEN}). Missing keys fail the first call that needs them, with their name.
 */
final class RuntimeCredentials implements AwsCredentialsProvider {
    private final Optional<String> key;
    private final Optional<String> secret;
    private final Optional<String> token;

    private RuntimeCredentials(Map<String, String> env) {
        this.key = Env.optional(env, "AWS_ACCESS_KEY_ID");
        this.secret = Env.optional(env, "AWS_SECRET_ACCESS_KEY");
        this.token = Env.optional(env, "AWS_SESSION_TOKEN");
    }

    static AwsCredentialsProvider from(Map<String, String> env) {
        if (env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) {
            return ContainerCredentialsProvider.builder().build();
        }
        return new RuntimeCredentials(env);
    }

    @Override
    public AwsCredentials resolveCredentials() {
        String k = key.orElseThrow(() -> new ConfigurationException("Missing environment variable AWS_ACCESS_KEY_ID"));
        String s = secret.orElseThrow(() -> new ConfigurationException("Missing environment variable AWS_SECRET_ACCESS_KEY"));
        return token.<AwsCredentials>map(t -> AwsSessionCredentials.create(k, s, t))
                .orElseGet(() -> AwsBasicCredentials.create(k, s));
    }

    @Override
    public String toString() {
        return "RuntimeCredentials[from the environment]"; // never the keys
    }
}
