package dev.userapi.local.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.userapi.local.StartupException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK {@link HttpServer} on a loopback port with a thread pool, so requests are served
 * concurrently (handlers may wait: the uniform-latency routes sleep on purpose). Port 0 picks a free
 * port. A port that is taken stops start-up with a one-line message naming the fix.
 */
public final class LocalHttpServer implements AutoCloseable {
    static {
        // The JDK's server writes a response's headers and body separately and leaves Nagle's algorithm on
        // (sun.net.httpserver.nodelay defaults to false): the body then waits for the client's delayed ACK
        // of the headers, up to 40 ms on Linux, for about one request in four (docs/PERFORMANCE.md).
        // Read once, when the JDK's server configuration is first loaded, so set before any server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final RawFront front;

    private LocalHttpServer(HttpServer server, ExecutorService executor, RawFront front) {
        this.server = server;
        this.executor = executor;
        this.front = front;
    }

    /**
     * @param what     what listens, for messages ("the API", "the Lambda Invoke API")
     * @param portHint how to choose another port, for the message when the port is taken
     */
    public static LocalHttpServer start(String what, InetAddress address, int port, int threads, HttpHandler handler,
                                        String portHint) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 128);
        } catch (BindException e) {
            throw new StartupException("Port " + port + " is in use, so " + what + " cannot listen: stop what uses it, or " + portHint);
        } catch (IOException e) {
            throw new StartupException(what + " cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        return start(what, server, threads, handler, null);
    }

    /**
     * Like {@link #start}, with a {@link RawFront} on {@code address:port} in front of the JDK server
     * (which then listens on a free loopback port): the handler sees every request, even those the
     * JDK's server would refuse with its own HTML page; it reads their target with
     * {@link RawFront#target} and their origin with {@link RawFront#peer}.
     */
    public static LocalHttpServer startBehindFront(String what, InetAddress address, int port, int threads, HttpHandler handler,
                                                   String portHint) {
        java.net.ServerSocket socket;
        try {
            socket = RawFront.bind(address, port);
        } catch (BindException e) {
            throw new StartupException("Port " + port + " is in use, so " + what + " cannot listen: stop what uses it, or " + portHint);
        } catch (IOException e) {
            throw new StartupException(what + " cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // reporting the first failure
            }
            throw new StartupException(what + " cannot listen on a loopback port: " + e.getMessage(), e);
        }
        String name = what.replaceAll("[^A-Za-z]+", "-").replaceAll("^-|-$", "").toLowerCase(java.util.Locale.ROOT);
        RawFront front = RawFront.start(socket, server.getAddress(), name);
        return start(what, server, threads, handler, front);
    }

    private static LocalHttpServer start(String what, HttpServer server, int threads, HttpHandler handler, RawFront front) {
        AtomicInteger count = new AtomicInteger();
        String prefix = what.replaceAll("[^A-Za-z]+", "-").replaceAll("^-|-$", "").toLowerCase(java.util.Locale.ROOT);
        ExecutorService executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return new LocalHttpServer(server, executor, front);
    }

    public int port() {
        return front != null ? front.port() : server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (front != null) {
            front.close();
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
