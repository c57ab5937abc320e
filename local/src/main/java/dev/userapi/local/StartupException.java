package dev.userapi.local;

/**
 * The stack cannot start, for a reason the developer can fix; the message is one line that names
 * the fix ("Port 3000 is in use: ..."). The start command prints it without a stack trace.
 */
public final class StartupException extends RuntimeException {
    private final boolean portTaken;

    public StartupException(String message) {
        this(message, null, false);
    }

    public StartupException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private StartupException(String message, Throwable cause, boolean portTaken) {
        super(message, cause);
        this.portTaken = portTaken;
    }

    /** A service could not listen because its port was taken: on a port the stack picked itself, {@link Ports#startOn} tries another. */
    public static StartupException portTaken(String message, Throwable cause) {
        return new StartupException(message, cause, true);
    }

    public boolean portTaken() {
        return portTaken;
    }
}
