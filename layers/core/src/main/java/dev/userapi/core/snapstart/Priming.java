package dev.userapi.core.snapstart;

import dev.userapi.core.log.Log;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Core;
import org.crac.Resource;

/**
 * A SnapStart priming hook for code that has clients to warm but is not itself the handler (the route functions'
 * composition root): registered with CRaC's global context, so Lambda runs it before the snapshot, and kept in a
 * list (CRaC holds resources weakly, and without a CRaC JVM it drops them), so that {@link #primeAll()} can run the
 * same hooks where there is no checkpoint: the benchmark's "first invocation after priming".
 *
 * <p>A hook must be harmless (reads of keys that do not exist, calls on a pool that does not exist) and may fail:
 * a failure is logged, never thrown, so priming can never break a deployment.
 */
public final class Priming implements Resource {
    private static final Log LOG = Log.of(Priming.class);
    private static final List<Priming> HOOKS = new CopyOnWriteArrayList<>();

    private final String name;
    private final Runnable hook;

    private Priming(String name, Runnable hook) {
        this.name = name;
        this.hook = hook;
    }

    /** Registers {@code hook} to run before the SnapStart snapshot (and on {@link #primeAll()}). */
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

    private void prime() {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.info("priming call answered with an error", "hook", name, "error", e.getClass().getSimpleName());
        }
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
