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
    void envScopes_giveEachFunctionItsOwnVariables() {
        Map<String, String> env = env();
        String region = Env.with(env, () -> AppConfig.fromEnvironment().region());
        assertThat(region).isEqualTo("eu-west-1");
        assertThat(Env.current()).isSameAs(System.getenv());
    }
}
