package dev.userapi.core.attempts;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link AttemptStore} in one process's memory, with the atomicity of {@link AttemptRepository}'s
 * conditional writes (one lock). For tests and for services built without a table; the functions
 * use {@link AttemptRepository}, since an execution environment's memory is neither shared nor durable.
 */
public final class MemoryAttemptStore implements AttemptStore {
    private final Map<String, AttemptCounter> items = new HashMap<>();
    private int reads;
    private int writes;

    /** How many reads were made (tests check the happy path's cost). */
    public synchronized int reads() {
        return reads;
    }

    /** How many writes were made, conditional ones that failed included. */
    public synchronized int writes() {
        return writes;
    }

    @Override
    public synchronized Pair read(String partition, String source) {
        reads++;
        return new Pair(get(partition, source), get(partition, AttemptRepository.ANY));
    }

    @Override
    public synchronized void addFailure(String partition, String source, long nowMillis, long forgetBeforeMillis,
                                        long expiresAtSeconds) {
        writes++;
        for (String sort : new String[] {source, AttemptRepository.ANY}) {
            AttemptCounter c = get(partition, sort);
            long failures = c.isNone() || c.lastFailureMillis() <= forgetBeforeMillis ? 1 : c.failures() + 1;
            items.put(partition + "|" + sort, new AttemptCounter(failures, nowMillis));
        }
    }

    @Override
    public synchronized boolean reserve(String partition, String source, Pair seen, Pair next, long expiresAtSeconds) {
        writes++;
        if (!get(partition, source).equals(seen.pair()) || !get(partition, AttemptRepository.ANY).equals(seen.address())) {
            return false;
        }
        items.put(partition + "|" + source, next.pair());
        items.put(partition + "|" + AttemptRepository.ANY, next.address());
        return true;
    }

    @Override
    public synchronized void undo(String partition, String source, Pair reserved, Pair previous, long expiresAtSeconds) {
        reserve(partition, source, reserved, previous, expiresAtSeconds);
    }

    @Override
    public synchronized boolean countTry(String partition, long max, long expiresAtSeconds) {
        writes++;
        AttemptCounter c = get(partition, AttemptRepository.TRIES);
        long tries = c.isNone() ? 0 : c.failures();
        if (tries >= max) {
            return false;
        }
        items.put(partition + "|" + AttemptRepository.TRIES, new AttemptCounter(tries + 1, 0));
        return true;
    }

    @Override
    public synchronized void reset(String partition, String source) {
        writes++;
        items.remove(partition + "|" + source);
        items.remove(partition + "|" + AttemptRepository.ANY);
    }

    /** One stored counter. */
    public synchronized AttemptCounter get(String partition, String sort) {
        return items.getOrDefault(partition + "|" + sort, AttemptCounter.NONE);
    }
}
