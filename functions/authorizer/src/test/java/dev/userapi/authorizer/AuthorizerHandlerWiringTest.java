package dev.userapi.authorizer;

import static dev.userapi.tokens.Tokens.CLIENT_ID;
import static dev.userapi.tokens.Tokens.POOL_KID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import dev.userapi.core.config.ConfigurationException;
import dev.userapi.tokens.JwksServer;
import dev.userapi.tokens.TestKeys;
import dev.userapi.tokens.Tokens;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The public constructors the Lambda runtime and the local stack use: configuration from the environment map
 * the handler is given (the no-arg constructor passes {@code System.getenv()}), the JWKS fetched at
 * initialisation, a real DynamoDB client. DynamoDB is a closed port here, so every verified token ends in
 * the "store unavailable → authorizer failure (503)" path.
 */
class AuthorizerHandlerWiringTest {

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Map<String, String> env(JwksServer server, int dynamoPort) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("TABLE_NAME", "users");
        env.put("ROLES", "user,admin");
        env.put("DYNAMODB_ENDPOINT", "http://127.0.0.1:" + dynamoPort);
        env.put("COGNITO_ISSUER", server.issuer());
        env.put("ALLOWED_CLIENT_IDS", CLIENT_ID);
        return env;
    }

    @Test
    void environmentConstructor_readsEnv_loadsTheJwksAtInitialisation_andFailsWithoutAllowingWhenDynamoDbIsDown() throws Exception {
        try (JwksServer server = JwksServer.withKeys(POOL_KID, TestKeys.POOL)) {
            AuthorizerHandler handler = new AuthorizerHandler(env(server, closedPort()));
            assertThat(server.requests()).as("JWKS fetched during construction").isEqualTo(1);

            APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
            event.setType("TOKEN");
            event.setMethodArn(AuthorizerHandlerTest.METHOD_ARN);
            event.setAuthorizationToken("Bearer " + Tokens.rs256(Tokens.header(),
                    Tokens.accessClaims(server.issuer(), Instant.now().getEpochSecond()), TestKeys.POOL.getPrivate()));

            // a closed port: the SDK's connection failures are ServiceUnavailable → an authorizer failure (503), not 401
            assertThatThrownBy(() -> handler.authorize(event, null))
                    .isExactlyInstanceOf(IllegalStateException.class).hasMessage(AuthorizerHandler.UNAVAILABLE);
            assertThat(server.requests()).isEqualTo(1);
        }
    }

    /** SnapStart: the hook, called directly, reloads the JWKS, runs the verifier and makes the DynamoDB read. */
    @Test
    void beforeCheckpoint_loadsTheJwks_warmsTheVerifier_andCallsDynamoDb() throws Exception {
        try (JwksServer server = JwksServer.withKeys(POOL_KID, TestKeys.POOL);
             dev.userapi.core.testing.RecordingAwsEndpoint dynamoDb = new dev.userapi.core.testing.RecordingAwsEndpoint()) {
            Map<String, String> env = env(server, 1);
            env.put("DYNAMODB_ENDPOINT", dynamoDb.url());
            AuthorizerHandler handler = new AuthorizerHandler(env);
            assertThat(server.requests()).isEqualTo(1);
            assertThat(dynamoDb.operations()).isEmpty();

            handler.beforeCheckpoint(null);

            assertThat(server.requests()).as("the JWKS is loaded again, ignoring the refetch interval").isEqualTo(2);
            assertThat(dynamoDb.operations()).containsExactly("DynamoDB_20120810.GetItem");
            // and the handler then authorizes with what it loaded: a user without a profile gets the default role
            APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
            event.setType("TOKEN");
            event.setMethodArn(AuthorizerHandlerTest.METHOD_ARN);
            event.setAuthorizationToken("Bearer " + Tokens.rs256(Tokens.header(),
                    Tokens.accessClaims(server.issuer(), Instant.now().getEpochSecond()), TestKeys.POOL.getPrivate()));
            assertThat(handler.authorize(event, null).getContext()).containsEntry("roles", "user");
            assertThat(server.requests()).isEqualTo(2);
        }
    }

    @Test
    void environmentConstructor_survivesAJwksEndpointThatIsDown() throws Exception {
        JwksServer server = JwksServer.withKeys(POOL_KID, TestKeys.POOL);
        Map<String, String> env = env(server, closedPort());
        server.close();

        AuthorizerHandler handler = new AuthorizerHandler(env);

        assertThat(handler).isNotNull();
        assertThat(handler.prime()).isFalse();
    }

    @Test
    void environmentConstructor_withBadConfiguration_failsAtStartUp_namingTheVariable() throws Exception {
        try (JwksServer server = JwksServer.withKeys(POOL_KID, TestKeys.POOL)) {
            Map<String, String> env = env(server, closedPort());
            env.put("JWT_LEEWAY_SECONDS", "600");
            assertThatThrownBy(() -> new AuthorizerHandler(env))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("JWT_LEEWAY_SECONDS");
        }
    }
}
