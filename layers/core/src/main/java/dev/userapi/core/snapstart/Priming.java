package dev.userapi.core.snapstart;

import dev.userapi.core.log.Log;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: what runs before the snapshot is taken.
 *
 * <p>{@link #run} runs one priming step with the <b>priming guard</b> on for the calling thread ({@link #active()}):
 * every SDK client built by {@code AwsClients} then refuses, after marshalling and signing and before anything is
 * sent, every operation that is not a read ({@code PrimingGuard}: no DynamoDB write, no mail, no Cognito call with an
 * effect). A step's failure is logged, never thrown, so priming can never break a deployment.
 *
 * <p>{@link #register} is for code that has clients to warm but is not itself the handler (the route functions'
 * composition root): registered with CRaC's global context, so Lambda runs it before the snapshot, and kept in a
 * list (CRaC holds resources weakly, and without a CRaC JVM it drops them), so that {@link #primeAll()} can run the
 * same hooks where there is no checkpoint: the benchmark's "first invocation after priming". Handlers prime their own
 * request path in their CRaC {@code beforeCheckpoint} (core's {@code ApiHandler} for every route function).
 */
public final class Priming implements Resource {
    private static final Log LOG = Log.of(Priming.class);
    private static final List<Priming> HOOKS = new CopyOnWriteArrayList<>();
    private static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final String name;
    private final Runnable hook;

    private Priming(String name, Runnable hook) {
        this.name = name;
        this.hook = hook;
    }

    /** Registers {@code hook} to run before the SnapStart snapshot (and on {@link #primeAll()}), under {@link #run}. */
    public static void register(String name, Runnable hook) {
        Priming priming = new Priming(name, hook);
        HOOKS.add(priming);
        Core.getGlobalContext().register(priming);
    }

    /** Runs every registered hook now (what SnapStart's checkpoint runs); returns how many ran. */
    public static int primeAll() {
        HOOKS.forEach(Priming::prime);
        return HOOKS.size();
    }

    /** True while this thread runs a priming step: SDK clients then refuse every operation that is not a read. */
    public static boolean active() {
        return ACTIVE.get();
    }

    /**
     * Runs one priming step with the guard on (nested steps keep it on); a failure is logged with the step's name and
     * never thrown. Returns whether the step completed without an exception.
     */
    public static boolean run(String name, Runnable step) {
        boolean outer = !ACTIVE.get();
        ACTIVE.set(Boolean.TRUE);
        try {
            step.run();
            return true;
        } catch (RuntimeException e) {
            LOG.info("priming step answered with an error", "hook", name, "error", e.getClass().getSimpleName());
            return false;
        } finally {
            if (outer) {
                ACTIVE.remove();
            }
        }
    }

    private void prime() {
        run(name, hook);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: SDK clients reconnect on their own and credentials are resolved per call
    }
}
