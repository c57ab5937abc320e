package dev.userapi.core.log;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;

/**
 * Structured logging: one JSON object per line on standard output, which Lambda sends to CloudWatch.
 * Callers pass facts (ids, codes, reasons), never tokens, passwords, codes or secrets; exceptions are
 * logged by class and message of our own code, and the SDK's messages only at the boundary where they
 * are translated.
 *
 * <p>While a function frame serves an invocation ({@link Invocations#enter}), every line written on that thread
 * carries the Lambda request id ({@code functionRequestId}), the function's name ({@code functionName}) and whether
 * the invocation is the execution environment's first ({@code coldStart}).
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static volatile PrintStream out = System.out;
    /** Read once, from the process environment the runtime gives ({@link #threshold}). */
    private static final Level THRESHOLD = threshold(System.getenv());

    /** The invocation the current thread serves (a thread-local: the local stack runs many functions in one JVM). */
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final String logger;

    private Log(String logger) {
        this.logger = logger;
    }

    public static Log of(Class<?> type) {
        return new Log(type.getSimpleName());
    }

    public void info(String message, Object... keyValues) {
        write(Level.INFO, message, null, keyValues);
    }

    public void warn(String message, Object... keyValues) {
        write(Level.WARN, message, null, keyValues);
    }

    public void warn(String message, Throwable error, Object... keyValues) {
        write(Level.WARN, message, error, keyValues);
    }

    public void error(String message, Throwable error, Object... keyValues) {
        write(Level.ERROR, message, error, keyValues);
    }

    public void debug(String message, Object... keyValues) {
        if (THRESHOLD.compareTo(Level.DEBUG) <= 0) {
            write(Level.DEBUG, message, null, keyValues);
        }
    }

    private void write(Level level, String message, Throwable error, Object[] keyValues) {
        if (level.compareTo(THRESHOLD) < 0) {
            return;
        }
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level.name());
        line.put("logger", logger);
        line.put("message", message);
        Scope scope = CURRENT.get();
        if (scope != null) {
            if (scope.requestId != null) {
                line.put("functionRequestId", scope.requestId);
            }
            if (scope.functionName != null) {
                line.put("functionName", scope.functionName);
            }
            line.put("coldStart", scope.coldStart);
        }
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object value = keyValues[i + 1];
            if (value == null) {
                continue;
            }
            line.putPOJO(String.valueOf(keyValues[i]), value instanceof Map<?, ?> || value instanceof Number
                    || value instanceof Boolean ? value : String.valueOf(value));
        }
        if (error != null) {
            line.put("errorType", error.getClass().getName());
            line.put("errorMessage", String.valueOf(error.getMessage()));
            StackTraceElement[] trace = error.getStackTrace();
            if (level == Level.ERROR && trace.length > 0) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < Math.min(trace.length, 12); i++) {
                    b.append(trace[i]).append('\n');
                }
                line.put("stackTrace", b.toString());
            }
        }
        out.println(Json.write(line));
    }

    /**
     * Marks the current thread as serving one invocation until the returned scope is closed (use
     * {@link Invocations#enter}, which decides the cold-start flag). {@code context} may be null (tests,
     * SnapStart priming): the lines then carry only the flag.
     */
    static Scope enter(Context context, boolean coldStart) {
        Scope scope = new Scope(context == null ? null : context.getAwsRequestId(),
                context == null ? null : context.getFunctionName(), coldStart, CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** One invocation's fields; closing it restores what the thread served before (nested local invocations). */
    public static final class Scope implements AutoCloseable {
        private final String requestId;
        private final String functionName;
        private final boolean coldStart;
        private final Scope previous;

        private Scope(String requestId, String functionName, boolean coldStart, Scope previous) {
            this.requestId = requestId;
            this.functionName = functionName;
            this.coldStart = coldStart;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Redirects output (tests capture log lines to assert nothing secret is written). */
    public static void redirect(PrintStream stream) {
        out = stream == null ? System.out : stream;
    }

    /**
     * The least level written: Lambda's application log level ({@code AWS_LAMBDA_LOG_LEVEL}, set from the
     * template's {@code LoggingConfig}; {@code TRACE} counts as {@code DEBUG}, {@code FATAL} as {@code ERROR}),
     * else {@code LOG_LEVEL}, else {@code INFO}. An unknown value counts as absent.
     */
    static Level threshold(Map<String, String> env) {
        for (String name : new String[] {"AWS_LAMBDA_LOG_LEVEL", "LOG_LEVEL"}) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                continue;
            }
            Level level = switch (value.trim().toUpperCase(java.util.Locale.ROOT)) {
                case "TRACE", "DEBUG" -> Level.DEBUG;
                case "INFO" -> Level.INFO;
                case "WARN" -> Level.WARN;
                case "ERROR", "FATAL" -> Level.ERROR;
                default -> null;
            };
            if (level != null) {
                return level;
            }
        }
        return Level.INFO;
    }
}
