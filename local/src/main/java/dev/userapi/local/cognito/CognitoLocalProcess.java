package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import dev.userapi.local.StartupException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * cognito-local as a child process. The version is pinned by the committed
 * {@code local/cognito/package.json} and {@code package-lock.json}; the first start installs it
 * with {@code npm ci} (again whenever the lock file changes). It runs with its own working
 * directory, because it keeps its configuration and data in {@code .cognito/} under the current
 * directory, and with a configuration that points its Lambda client at our Lambda Invoke API for
 * the pool's triggers.
 *
 * <p>Stopping kills the whole process tree. If the JVM dies without stopping it, the child notices
 * that its standard input closed and exits ({@code exit-with-parent.cjs}), so nothing is orphaned.
 */
public final class CognitoLocalProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String STAMP = ".userapi-installed";

    private final Process process;
    private final int port;
    private final Deque<String> lastLines;
    private final OutputStream keepAlive;
    private final Thread reader;

    private CognitoLocalProcess(Process process, int port, Deque<String> lastLines, Thread reader) {
        this.process = process;
        this.port = port;
        this.lastLines = lastLines;
        this.reader = reader;
        this.keepAlive = process.getOutputStream();
    }

    /** What cognito-local's {@code .cognito/config.json} says. */
    public record Config(int port, String lambdaEndpoint, Map<String, String> triggerFunctions) {
        String issuerDomain() {
            return "http://localhost:" + port;
        }

        String toJson() {
            ObjectNode root = Json.mapper().createObjectNode();
            ObjectNode lambda = root.putObject("LambdaClient");
            lambda.put("endpoint", lambdaEndpoint);
            lambda.put("region", "local");
            lambda.putObject("credentials").put("accessKeyId", "local").put("secretAccessKey", "local");
            ObjectNode triggers = root.putObject("TriggerFunctions");
            triggerFunctions.forEach(triggers::put);
            root.putObject("TokenConfig").put("IssuerDomain", issuerDomain());
            root.putObject("ServerConfig").put("hostname", "127.0.0.1").put("port", port);
            return Json.write(root);
        }
    }

    /** Installs the pinned cognito-local into {@code packageDir/node_modules} unless it is there already. */
    @SuppressWarnings("try") // the lock is held for the block; it needs no other use
    public static void ensureInstalled(Path packageDir) {
        requireTool("node", "Node.js is needed to run cognito-local but `node` was not found: install Node.js 20 or later and start again");
        Path lock = packageDir.resolve("package-lock.json");
        if (!Files.isRegularFile(lock)) {
            throw new StartupException("Missing " + lock + ": the pinned cognito-local cannot be installed (restore it with git checkout)");
        }
        Path stamp = packageDir.resolve("node_modules").resolve(STAMP);
        String wanted = sha256(lock);
        try (RandomAccessFile file = new RandomAccessFile(packageDir.resolve(".install.lock").toFile(), "rw");
             FileLock ignored = file.getChannel().lock()) {
            if (Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(wanted)
                    && Files.isRegularFile(entryPoint(packageDir))) {
                return;
            }
            requireTool("npm", "npm is needed to install cognito-local but `npm` was not found: install Node.js 20 or later (it includes npm)");
            System.err.println("[cognito-local] installing the pinned cognito-local (npm ci in " + packageDir + ") ...");
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(packageDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new StartupException("npm ci in " + packageDir + " did not finish in 5 minutes: check access to the npm registry");
            }
            if (npm.exitValue() != 0) {
                throw new StartupException("npm ci in " + packageDir + " failed (exit " + npm.exitValue()
                        + "): check access to the npm registry, then start again");
            }
            Files.writeString(stamp, wanted);
        } catch (IOException e) {
            throw new StartupException("Cannot install cognito-local in " + packageDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("Interrupted while installing cognito-local");
        }
    }

    /**
     * Starts cognito-local in {@code workDir} with {@code config} and waits until it answers.
     */
    public static CognitoLocalProcess start(Path packageDir, Path workDir, Config config) {
        try {
            Files.createDirectories(workDir.resolve(".cognito").resolve("db"));
            Files.writeString(workDir.resolve(".cognito").resolve("config.json"), config.toJson());
        } catch (IOException e) {
            throw new StartupException("Cannot write cognito-local's configuration in " + workDir + ": " + e.getMessage(), e);
        }
        ProcessBuilder builder = new ProcessBuilder("node",
                "--require", packageDir.resolve("exit-with-parent.cjs").toAbsolutePath().toString(),
                entryPoint(packageDir).toAbsolutePath().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("PORT", String.valueOf(config.port()));
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE", "1");
        builder.environment().remove("DEBUG");
        builder.environment().remove("CODE");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new StartupException("Cannot start cognito-local (node): " + e.getMessage()
                    + ": install Node.js 20 or later and start again", e);
        }
        Deque<String> lastLines = new ArrayDeque<>();
        Thread reader = new Thread(() -> pump(process, lastLines), "cognito-local-output");
        reader.setDaemon(true);
        reader.start();
        CognitoLocalProcess child = new CognitoLocalProcess(process, config.port(), lastLines, reader);
        try {
            child.awaitReady();
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return child;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                drainOutput();
                String message = "cognito-local exited during start-up (exit " + process.exitValue() + "): "
                        + lastLine() + " (see the output above; `npm ci` in local/cognito reinstalls it)";
                throw portTaken() ? StartupException.portTaken(message, null) : new StartupException(message);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(endpoint().resolve("/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("Interrupted while waiting for cognito-local");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("Interrupted while waiting for cognito-local");
            }
        }
        throw new StartupException("cognito-local did not answer on port " + port + " within " + START_TIMEOUT.toSeconds()
                + " s: " + lastLine());
    }

    /** Gives the output reader a moment to take the dead process's last lines (its EOF comes right after them). */
    private void drainOutput() {
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean portTaken() {
        synchronized (lastLines) {
            return lastLines.stream().anyMatch(line -> line.contains("EADDRINUSE"));
        }
    }

    private String lastLine() {
        synchronized (lastLines) {
            return lastLines.isEmpty() ? "no output" : lastLines.peekLast();
        }
    }

    /**
     * Echoes cognito-local's output (colours removed, each line tagged) and keeps the last lines for
     * error messages. Two kinds of records are left out unless {@code -Duserapi.cognitoLocal.log=all}:
     * the warning (with a stack trace) it logs for every error answer, which are ordinary client
     * errors here, and its code-delivery boxes, which the outbox prints already.
     */
    private static void pump(Process process, Deque<String> lastLines) {
        boolean all = "all".equals(System.getProperty("userapi.cognitoLocal.log"));
        boolean quiet = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String plain = line.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "");
                if (plain.matches("^\\[\\d+] [A-Z]+: .*")) {
                    quiet = plain.contains(" WARN: ") && plain.contains("Error handling target") || plain.contains("\u256D");
                }
                if (all || !quiet) {
                    System.err.println("[cognito-local] " + plain);
                }
                synchronized (lastLines) {
                    lastLines.addLast(plain);
                    if (lastLines.size() > 20) {
                        lastLines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Stops cognito-local and anything it started: politely, then forcibly. */
    @Override
    public void close() {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try {
            keepAlive.close();
        } catch (IOException e) {
            // already closed
        }
    }

    static Path entryPoint(Path packageDir) {
        return packageDir.resolve("node_modules").resolve("cognito-local").resolve("lib").resolve("bin").resolve("start.js");
    }

    private static void requireTool(String tool, String message) {
        try {
            Process check = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            check.getInputStream().readAllBytes();
            if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
                throw new StartupException(message);
            }
        } catch (IOException e) {
            throw new StartupException(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException(message);
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new StartupException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
