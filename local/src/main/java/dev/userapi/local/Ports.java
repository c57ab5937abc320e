package dev.userapi.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.IntFunction;

/** Free local ports, for the services that cannot pick one themselves (DynamoDB Local, cognito-local). */
public final class Ports {
    private Ports() {
    }

    /** A port that is free now (there is a small window in which another process could take it). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StartupException("No free local port: " + e.getMessage(), e);
        }
    }

    /** {@code port}, or a free one when it is 0; a taken port stops start-up with a message naming the fix. */
    public static int freeOr(int port, String what, String hint) {
        if (port == 0) {
            return free();
        }
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return port;
        } catch (IOException e) {
            throw new StartupException("Port " + port + " is in use, so " + what + " cannot listen: stop what uses it, or " + hint);
        }
    }

    /** How many free ports {@link #startOn} tries before it gives up. */
    static final int ATTEMPTS = 5;

    /**
     * Starts a service with {@code start} on {@code port}, or, when it is 0, on a free port. A free port is only free
     * when it is checked: the ephemeral ports of outbound connections come from the same range, so another socket can
     * take it before the service binds it. When {@code start} then fails with {@link StartupException#portTaken()}, a
     * fresh port is tried (an explicit port is never changed behind the developer's back).
     */
    public static <T> T startOn(int port, String what, String hint, IntFunction<T> start) {
        if (port != 0) {
            return start.apply(freeOr(port, what, hint));
        }
        StartupException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return start.apply(free());
            } catch (StartupException e) {
                if (!e.portTaken()) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }
}
