package dev.userapi.core.log;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The log side of a function frame (route handlers, the authorizer, the triggers): one per handler instance, which
 * the runtime builds once per execution environment. {@link #enter} opens the invocation's {@link Log.Scope}; the
 * first invocation with a Lambda context is the cold start. Calls without a context (SnapStart priming before the
 * snapshot, unit tests) do not use the flag up, so the first real invocation after a restore still reports it.
 */
public final class Invocations {
    private final AtomicBoolean cold = new AtomicBoolean(true);

    public Log.Scope enter(Context context) {
        boolean coldStart = context == null ? cold.get() : cold.getAndSet(false);
        return Log.enter(context, coldStart);
    }
}
