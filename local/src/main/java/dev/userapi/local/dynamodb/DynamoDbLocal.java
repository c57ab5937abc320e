package dev.userapi.local.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.userapi.local.StartupException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DynamoDB Local in this JVM ({@code com.amazonaws:DynamoDBLocal}), in memory or with its data in a
 * folder. Its SQLite engine needs sqlite4java's native library; the build copies it next to the
 * classes ({@code local/target/native}) and {@code sqlite4java.library.path} points there.
 */
public final class DynamoDbLocal implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocal(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * @param dataDir where the data lives; empty for in-memory
     * @param nativeDir the folder holding {@code libsqlite4java-*.so}
     */
    public static DynamoDbLocal start(int port, Optional<Path> dataDir, Path nativeDir) {
        if (System.getProperty("sqlite4java.library.path") == null) {
            if (!Files.isDirectory(nativeDir)) {
                throw new StartupException("sqlite4java's native library is missing (" + nativeDir
                        + "): build the local module first (mvn -B -q -pl local -am install -DskipTests)");
            }
            System.setProperty("sqlite4java.library.path", nativeDir.toAbsolutePath().toString());
        }
        List<String> args = new ArrayList<>(List.of("-port", String.valueOf(port), "-sharedDb", "-disableTelemetry"));
        if (dataDir.isPresent()) {
            try {
                Files.createDirectories(dataDir.get());
            } catch (IOException e) {
                throw new StartupException("Cannot create " + dataDir.get() + " for DynamoDB Local: " + e.getMessage(), e);
            }
            args.add("-dbPath");
            args.add(dataDir.get().toAbsolutePath().toString());
        } else {
            args.add("-inMemory");
        }
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            server.start();
            return new DynamoDbLocal(server, port);
        } catch (Exception e) {
            String message = "DynamoDB Local did not start on port " + port + ": " + e.getMessage();
            throw bindFailure(e) ? StartupException.portTaken(message, e) : new StartupException(message, e);
        }
    }

    private static boolean bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException || String.valueOf(t.getMessage()).startsWith("Failed to bind")) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("[dynamodb] stopping DynamoDB Local failed: " + e.getMessage());
        }
    }
}
