package dev.userapi.local.lambda;

import dev.userapi.local.template.FunctionDefinition;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local Lambda service: every function of the template, found by the names Lambda accepts
 * (the function name, {@code name:qualifier}, a full or partial ARN). Locally a function's name is
 * its logical ID.
 */
public final class LambdaFunctions implements AutoCloseable {
    private final Map<String, LambdaFunction> functions = new LinkedHashMap<>();
    private final String region;
    private final String accountId;
    private final ExecutorService executor;

    public LambdaFunctions(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "lambda-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The ARN Lambda would give a function of this name. */
    public String arnOf(String functionName) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionName;
    }

    public LambdaFunction register(FunctionDefinition definition, Map<String, String> environment) {
        LambdaFunction function = new LambdaFunction(definition, environment, arnOf(definition.logicalId()), executor,
                Thread.currentThread().getContextClassLoader());
        functions.put(definition.logicalId(), function);
        return function;
    }

    public Collection<LambdaFunction> all() {
        return functions.values();
    }

    /** Finds a function by name, {@code name:qualifier}, or ARN ({@code arn:aws:lambda:region:account:function:name[:qualifier]}). */
    public Optional<LambdaFunction> find(String reference) {
        String name = reference;
        int function = name.indexOf(":function:");
        if (function >= 0) {
            name = name.substring(function + ":function:".length());
        }
        int qualifier = name.indexOf(':');
        if (qualifier >= 0) {
            name = name.substring(0, qualifier);
        }
        return Optional.ofNullable(functions.get(name));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
