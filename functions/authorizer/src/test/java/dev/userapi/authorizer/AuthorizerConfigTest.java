package dev.userapi.authorizer;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.config.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The authorizer's environment variables (read from the map the handler is given, never System.getenv). */
class AuthorizerConfigTest {
    static final String AWS_ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";

    private static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>(Map.of("COGNITO_ISSUER", AWS_ISSUER, "ALLOWED_CLIENT_IDS", "client-a, client-b"));
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                env.remove(keyValues[i]);
            } else {
                env.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return env;
    }

    @Test
    void defaults_jwksUrlFromTheIssuer_andASmallLeeway() {
        AuthorizerConfig c = AuthorizerConfig.from(env());

        assertThat(c.issuer()).isEqualTo(AWS_ISSUER);
        assertThat(c.clientIds()).containsExactly("client-a", "client-b");
        assertThat(c.jwksUrl()).isEqualTo(URI.create(AWS_ISSUER + "/.well-known/jwks.json"));
        assertThat(c.leeway()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void cognitoLocal_onLoopbackOverHttp_isAccepted() {
        AuthorizerConfig c = AuthorizerConfig.from(env("COGNITO_ISSUER", "http://localhost:9229/local_5fGhJk"));
        assertThat(c.jwksUrl()).isEqualTo(URI.create("http://localhost:9229/local_5fGhJk/.well-known/jwks.json"));
        assertThat(AuthorizerConfig.from(env("COGNITO_ISSUER", "http://127.0.0.1:9229/p")).jwksUrl().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void jwksUrlAndLeeway_canBeConfigured() {
        AuthorizerConfig c = AuthorizerConfig.from(env("JWKS_URL", "https://keys.example.com/jwks.json", "JWT_LEEWAY_SECONDS", "60"));
        assertThat(c.jwksUrl()).isEqualTo(URI.create("https://keys.example.com/jwks.json"));
        assertThat(c.leeway()).isEqualTo(Duration.ofSeconds(60));
        assertThat(AuthorizerConfig.from(env("JWT_LEEWAY_SECONDS", "0")).leeway()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"61", "-1", "3600", "5s", "1.5", "ten"})
    void a5_leewayOutside0To60Seconds_stopsStartUp(String value) {
        assertThatThrownBy(() -> AuthorizerConfig.from(env("JWT_LEEWAY_SECONDS", value)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("JWT_LEEWAY_SECONDS");
    }

    @Test
    void a6_issuerWithTrailingSlash_stopsStartUp() {
        assertThatThrownBy(() -> AuthorizerConfig.from(env("COGNITO_ISSUER", AWS_ISSUER + "/")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("COGNITO_ISSUER");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://cognito-idp.eu-west-1.amazonaws.com/x/.well-known/jwks.json", "http://10.0.0.5/jwks.json",
            "ftp://example.com/jwks.json", "file:///etc/jwks.json", "http://127.attacker.example/jwks.json", "http://127.0.0.1.nip.io/jwks.json"})
    void a9_jwksUrlOverPlainHttpOffLoopback_stopsStartUp(String url) {
        assertThatThrownBy(() -> AuthorizerConfig.from(env("JWKS_URL", url))).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void missingVariables_stopStartUp_naming_the_variable() {
        assertThatThrownBy(() -> AuthorizerConfig.from(env("COGNITO_ISSUER", null)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("COGNITO_ISSUER");
        assertThatThrownBy(() -> AuthorizerConfig.from(env("ALLOWED_CLIENT_IDS", null)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("ALLOWED_CLIENT_IDS");
        assertThatThrownBy(() -> AuthorizerConfig.from(env("ALLOWED_CLIENT_IDS", " , ,")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("ALLOWED_CLIENT_IDS");
        assertThatThrownBy(() -> AuthorizerConfig.from(env("COGNITO_ISSUER", "not a url")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("COGNITO_ISSUER");
    }

    @Test
    void clientIds_areTrimmedAndDeduplicated() {
        assertThat(AuthorizerConfig.from(env("ALLOWED_CLIENT_IDS", " a ,b,a ")).clientIds()).isEqualTo(List.of("a", "b"));
    }
}
