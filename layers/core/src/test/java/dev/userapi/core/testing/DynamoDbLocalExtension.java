package dev.userapi.core.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local ({@code com.amazonaws:DynamoDBLocal}) in this JVM, in memory, on a free port, once
 * per test class; the client talks to it over loopback HTTP as the functions talk to DynamoDB.
 * {@link #newUsersTable()} gives each test a fresh table shaped like the template's
 * {@code UsersTable} ({@link UsersTableDefinition}).
 *
 * <pre>{@code @RegisterExtension static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();}</pre>
 *
 * Needs {@code sqlite4java.library.path} pointing at sqlite4java's native library, which the build
 * copies to {@code target/native} and failsafe passes on.
 */
public final class DynamoDbLocalExtension implements BeforeAllCallback, AfterAllCallback {
    private static final int START_ATTEMPTS = 5;
    private final AtomicInteger tables = new AtomicInteger();
    private DynamoDBProxyServer server;
    private DynamoDbClient client;
    private URI endpoint;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (System.getProperty("sqlite4java.library.path") == null) {
            throw new IllegalStateException("sqlite4java.library.path is not set: run the *IT tests through Maven (failsafe)");
        }
        Exception last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS && server == null; attempt++) {
            int port = freeLoopbackPort();
            try {
                DynamoDBProxyServer started = ServerRunner.createServerFromCommandLineArgs(
                        new String[] {"-port", String.valueOf(port), "-inMemory", "-sharedDb", "-disableTelemetry"});
                started.start();
                server = started;
                endpoint = URI.create("http://127.0.0.1:" + port);
            } catch (Exception e) {
                last = e; // the port was taken between the probe and the start: try another
            }
        }
        if (server == null) {
            throw new IllegalStateException("DynamoDB Local did not start", last);
        }
        client = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(60)).build())
                .build();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    public DynamoDbClient client() {
        return client;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Creates a new, empty table like the template's {@code UsersTable} and returns its name. */
    public String newUsersTable() {
        String name = "users-" + tables.incrementAndGet();
        UsersTableDefinition.create(client, name);
        return name;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
