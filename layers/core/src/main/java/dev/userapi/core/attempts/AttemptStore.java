package dev.userapi.core.attempts;

/**
 * Where the counters live ({@link AttemptRepository}: DynamoDB). One attempt has two counters in one
 * partition (an address and a kind): the address-wide one and the one of its source (a sort key made
 * from the source IP). Every write is atomic on its item; {@link #reserve} is conditional on both
 * counters still being what was read.
 */
public interface AttemptStore {
    /** Both counters of one attempt, read consistently in one request; absent ones are {@link AttemptCounter#NONE}. */
    Pair read(String partition, String source);

    /**
     * Counts one failure on each key atomically (concurrent failures are all counted): adds one,
     * or starts again at one when the stored last failure is at or before {@code forgetBeforeMillis}.
     */
    void addFailure(String partition, String source, long nowMillis, long forgetBeforeMillis, long expiresAtSeconds);

    /**
     * Counts an attempt before it is made, as a failure at {@code nowMillis}: both counters become
     * {@code next}, on the condition that both still hold what was read ({@code seen}).
     *
     * @return false if either changed in between (nothing was written)
     */
    boolean reserve(String partition, String source, Pair seen, Pair next, long expiresAtSeconds);

    /** Puts both counters back to {@code previous} if they still hold {@code reserved} (best effort). */
    void undo(String partition, String source, Pair reserved, Pair previous, long expiresAtSeconds);

    /** Removes both counters: a success. */
    void reset(String partition, String source);

    /** The two counters of one attempt. */
    record Pair(AttemptCounter pair, AttemptCounter address) {
    }
}
