package dev.userapi.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

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
}
