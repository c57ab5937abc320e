package dev.userapi.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Everything a function needs to know about its deployment, read once from the environment that
 * {@code template.yaml} sets ({@code Globals.Function.Environment}). Immutable.
 *
 * @param region              {@code AWS_REGION}, set by the Lambda runtime
 * @param tableName           {@code TABLE_NAME}: the users table
 * @param roles               {@code ROLES}: the known roles, comma separated; must contain {@code user} and {@code admin}
 * @param adminEmail          {@code ADMIN_EMAIL}: the e-mail that becomes the first administrator on confirmation (optional)
 * @param allowedOrigins      {@code ALLOWED_ORIGINS}: browser origins allowed by CORS, comma separated
 * @param dynamoDbEndpoint    {@code DYNAMODB_ENDPOINT}: endpoint override (DynamoDB Local); absent on AWS
 * @param uniformResponseTime {@code UNIFORM_RESPONSE_MILLIS}: the least time the account-enumeration-sensitive
 *                            routes take, so an existing and an unknown e-mail answer alike (default 400 ms)
 * @param credentials         the function's own AWS credentials ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, or
 *                            {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}), as the runtime sets them
 */
public record AppConfig(
        String region,
        String tableName,
        List<String> roles,
        Optional<String> adminEmail,
        List<String> allowedOrigins,
        Optional<URI> dynamoDbEndpoint,
        Duration uniformResponseTime,
        AwsCredentialsProvider credentials) {

    public static final String USER_ROLE = "user";
    public static final String ADMIN_ROLE = "admin";

    public AppConfig {
        roles = List.copyOf(roles);
        allowedOrigins = List.copyOf(allowedOrigins);
        if (!roles.contains(USER_ROLE) || !roles.contains(ADMIN_ROLE)) {
            throw new ConfigurationException("ROLES must contain '" + USER_ROLE + "' and '" + ADMIN_ROLE + "', was " + roles);
        }
        for (String role : roles) {
            if (!role.matches("[a-z][a-z0-9_-]{0,63}")) {
                throw new ConfigurationException("ROLES holds an invalid role name: " + role);
            }
        }
    }

    /** Reads the function's configuration from its environment; a missing required variable fails with its name. */
    public static AppConfig from(Map<String, String> env) {
        return new AppConfig(
                Env.require(env, "AWS_REGION"),
                Env.require(env, "TABLE_NAME"),
                list(Env.require(env, "ROLES")),
                Env.optional(env, "ADMIN_EMAIL").map(e -> e.toLowerCase(Locale.ROOT)),
                Env.optional(env, "ALLOWED_ORIGINS").map(AppConfig::list).orElse(List.of()),
                Env.optional(env, "DYNAMODB_ENDPOINT").map(v -> uri("DYNAMODB_ENDPOINT", v)),
                Duration.ofMillis(Env.optional(env, "UNIFORM_RESPONSE_MILLIS").map(v -> number("UNIFORM_RESPONSE_MILLIS", v)).orElse(400L)),
                RuntimeCredentials.from(env));
    }

    public boolean isKnownRole(String role) {
        return roles.contains(role);
    }

    public static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }

    public static URI uri(String name, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("not absolute");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(name + " is not an absolute URL: " + value);
        }
    }

    static long number(String name, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + " is not a non-negative number: " + value);
        }
    }
}
