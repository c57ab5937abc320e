package dev.userapi.local;

/**
 * The stack cannot start, for a reason the developer can fix; the message is one line that names
 * the fix ("Port 3000 is in use: ..."). The start command prints it without a stack trace.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
