package dev.userapi.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppConfigTest {
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("TABLE_NAME", "users");
        env.put("ROLES", "user, admin,editor");
        env.put("ADMIN_EMAIL", "Boss@Example.com");
        env.put("ALLOWED_ORIGINS", "https://a.example,https://b.example");
        return env;
    }

    @Test
    void readsTheEnvironmentOnce() {
        AppConfig config = AppConfig.from(env());
        assertThat(config.region()).isEqualTo("eu-west-1");
        assertThat(config.roles()).containsExactly("user", "admin", "editor");
        assertThat(config.adminEmail()).contains("boss@example.com");
        assertThat(config.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(config.uniformResponseTime()).isEqualTo(Duration.ofMillis(400));
        assertThat(config.dynamoDbEndpoint()).isEmpty();
    }

    @Test
    void aMissingVariable_failsStartUpWithItsName() {
        Map<String, String> env = env();
        env.remove("TABLE_NAME");
        assertThatThrownBy(() -> AppConfig.from(env)).isInstanceOf(ConfigurationException.class).hasMessageContaining("TABLE_NAME");
    }

    @Test
    void rolesMustContainUserAndAdmin() {
        Map<String, String> env = env();
        env.put("ROLES", "user,editor");
        assertThatThrownBy(() -> AppConfig.from(env)).hasMessageContaining("admin");
    }

    @Test
    void badEndpoints_areReportedByName() {
        Map<String, String> env = env();
        env.put("DYNAMODB_ENDPOINT", "not a url");
        assertThatThrownBy(() -> AppConfig.from(env)).hasMessageContaining("DYNAMODB_ENDPOINT");
    }

    @Test
    void credentials_comeFromTheGivenEnvironment_notTheProcess() {
        Map<String, String> env = env();
        env.put("AWS_ACCESS_KEY_ID", "key-1");
        env.put("AWS_SECRET_ACCESS_KEY", "secret-1");
        var credentials = AppConfig.from(env).credentials().resolveCredentials();
        assertThat(credentials.accessKeyId()).isEqualTo("key-1");
        assertThat(credentials.secretAccessKey()).isEqualTo("secret-1");
        assertThat(AppConfig.from(env).credentials().toString()).doesNotContain("key-1").doesNotContain("secret-1");
    }

    @Test
    void missingCredentials_failTheFirstCallWithTheirName() {
        var credentials = AppConfig.from(env()).credentials();
        assertThatThrownBy(credentials::resolveCredentials).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("AWS_ACCESS_KEY_ID");
    }
}
