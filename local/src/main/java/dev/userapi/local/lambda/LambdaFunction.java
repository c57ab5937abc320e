package dev.userapi.local.lambda;

import dev.userapi.lambdacontext.StandInContext;
import dev.userapi.local.template.FunctionDefinition;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One function of the template, run in-process the way Lambda runs it: the handler class is
 * constructed on the first invocation (a cold start) and that one instance then serves every
 * invocation, concurrently (handlers are thread-safe). Each invocation gets a
 * {@link com.amazonaws.services.lambda.runtime.Context} and is cut off after the function's {@code Timeout}.
 *
 * <p>The function's own environment is passed to the handler, not set around it: a handler class
 * with a public constructor taking {@code Map<String, String>} is constructed with it (every handler
 * of this project has one; its no-arg constructor, the Lambda runtime's, passes {@code System.getenv()}).
 * A class with only a public no-arg constructor is constructed with that and sees no function environment.
 *
 * <p>A handler class that does not exist yet, or whose constructor fails, is reported as an
 * {@link FunctionError.Unavailable} error on each invocation rather than stopping the stack, so
 * the stack starts while functions are still being written.
 */
public final class LambdaFunction {
    private final FunctionDefinition definition;
    private final Map<String, String> environment;
    private final String arn;
    private final ExecutorService executor;
    private final ClassLoader loader;
    private volatile HandlerInvoker invoker;
    private final InvocationDurations durations = new InvocationDurations();

    LambdaFunction(FunctionDefinition definition, Map<String, String> environment, String arn, ExecutorService executor,
                   ClassLoader loader) {
        this.definition = definition;
        this.environment = Map.copyOf(environment);
        this.arn = arn;
        this.executor = executor;
        this.loader = loader;
    }

    public String id() {
        return definition.logicalId();
    }

    public FunctionDefinition definition() {
        return definition;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public String arn() {
        return arn;
    }

    /**
     * Each invocation's duration inside the function, as Lambda's {@code REPORT} line measures it (warm ones and the cold
     * start's first), and the CPU time the invoking thread spent in it.
     */
    public InvocationDurations durations() {
        return durations;
    }

    /** Whether the handler class is on the classpath (the function has code). */
    public boolean hasCode() {
        try {
            Class.forName(definition.handlerClass(), false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Invokes the function with a JSON payload and returns its JSON response. */
    public byte[] invoke(byte[] payload) throws FunctionError {
        HandlerInvoker ready = coldStartIfNeeded();
        String requestId = UUID.randomUUID().toString();
        long deadline = System.currentTimeMillis() + definition.timeoutSeconds() * 1000L;
        StandInContext context = new StandInContext(requestId, id(), arn, definition.memorySizeMb(), deadline);
        Future<byte[]> result = executor.submit(() -> withClassLoader(() -> {
            // the CPU span lies inside the wall span: both cover the handler's deserialisation, work and serialisation
            long started = System.nanoTime();
            long cpuStarted = InvocationDurations.currentThreadCpuNanos();
            try {
                return ready.invoke(payload, context);
            } catch (InvocationTargetException e) {
                throw rethrow(e.getCause());
            } finally {
                long cpuEnded = InvocationDurations.currentThreadCpuNanos();
                long wall = System.nanoTime() - started;
                durations.record(wall, cpuStarted == InvocationDurations.NOT_MEASURED || cpuEnded == InvocationDurations.NOT_MEASURED
                        ? InvocationDurations.NOT_MEASURED : cpuEnded - cpuStarted);
            }
        }));
        try {
            return result.get(definition.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new FunctionError.Timeout(id(), definition.timeoutSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            throw new FunctionError(id(), "Runtime.Interrupted", "The invocation was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new FunctionError(id(), cause.getClass().getName(), String.valueOf(cause.getMessage()), cause);
        }
    }

    /**
     * Forgets the handler instance, so the next invocation constructs a new one (a cold start), as
     * when Lambda replaces an execution environment. Invocations already running finish on the old one.
     */
    public synchronized void recycle() {
        invoker = null;
    }

    private HandlerInvoker coldStartIfNeeded() throws FunctionError {
        HandlerInvoker ready = invoker;
        if (ready != null) {
            return ready;
        }
        synchronized (this) {
            if (invoker == null) {
                long started = System.nanoTime();
                invoker = load();
                System.err.printf("[lambda] %s cold start: %s constructed in %d ms%n", id(), definition.handlerClass(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            return invoker;
        }
    }

    private HandlerInvoker load() throws FunctionError {
        Class<?> type;
        try {
            type = Class.forName(definition.handlerClass(), true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new FunctionError.Unavailable(id(), "Class not found: " + definition.handlerClass(), e);
        }
        Object handler;
        try {
            Constructor<?> constructor = constructor(type);
            Object[] arguments = constructor.getParameterCount() == 1 ? new Object[] {environment} : new Object[0];
            handler = withClassLoader(() -> {
                try {
                    return constructor.newInstance(arguments);
                } catch (InvocationTargetException e) {
                    throw rethrow(e.getCause());
                }
            });
        } catch (NoSuchMethodException e) {
            throw new FunctionError.Unavailable(id(), definition.handlerClass()
                    + " has neither a public constructor taking the environment (Map<String, String>) nor a public no-arg one", e);
        } catch (Exception | LinkageError e) {
            throw new FunctionError.Unavailable(id(), definition.handlerClass() + " could not be constructed: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        try {
            return HandlerInvoker.of(handler, definition.handlerMethod(), loader);
        } catch (IllegalArgumentException e) {
            throw new FunctionError.Unavailable(id(), e.getMessage(), e);
        }
    }

    /**
     * The constructor a host calls: the public one taking the function's environment as a
     * {@code Map<String, String>}, else the public no-arg one.
     */
    static Constructor<?> constructor(Class<?> type) throws NoSuchMethodException {
        try {
            return type.getConstructor(Map.class);
        } catch (NoSuchMethodException e) {
            return type.getConstructor();
        }
    }

    private interface Action<T> {
        T run() throws Exception;
    }

    private <T> T withClassLoader(Action<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Exception rethrow(Throwable cause) {
        if (cause instanceof Exception e) {
            return e;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new RuntimeException(cause);
    }
}
