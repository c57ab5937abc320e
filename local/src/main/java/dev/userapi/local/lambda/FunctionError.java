package dev.userapi.local.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import java.util.Arrays;

/**
 * An invocation that did not return normally, in Lambda's terms: the handler threw ({@code Unhandled}),
 * timed out, or could not even be loaded. {@link #payload()} is the error document Lambda returns
 * ({@code errorMessage}, {@code errorType}, {@code stackTrace}).
 */
public class FunctionError extends Exception {
    private final String functionId;
    private final String errorType;

    public FunctionError(String functionId, String errorType, String message, Throwable cause) {
        super(message, cause);
        this.functionId = functionId;
        this.errorType = errorType;
    }

    public String functionId() {
        return functionId;
    }

    public String errorType() {
        return errorType;
    }

    public byte[] payload() {
        ObjectNode error = Json.mapper().createObjectNode();
        error.put("errorMessage", String.valueOf(getMessage()));
        error.put("errorType", errorType);
        var trace = error.putArray("stackTrace");
        Throwable source = getCause() != null ? getCause() : this;
        Arrays.stream(source.getStackTrace()).limit(20).map(String::valueOf).forEach(trace::add);
        return Json.write(error).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The handler's class cannot be loaded or constructed: the function has no working code (yet). */
    public static final class Unavailable extends FunctionError {
        public Unavailable(String functionId, String message, Throwable cause) {
            super(functionId, "Runtime.ImportModuleError", message, cause);
        }
    }

    /** The handler ran longer than the function's {@code Timeout}. */
    public static final class Timeout extends FunctionError {
        public Timeout(String functionId, int seconds) {
            super(functionId, "Sandbox.Timedout", "Task timed out after " + seconds + ".00 seconds", null);
        }
    }
}
