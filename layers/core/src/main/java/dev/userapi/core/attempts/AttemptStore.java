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

    /**
     * Counts one try of something that allows {@code max} (a sign-in session's codes) in the item {@code partition}:
     * atomically, on the condition that fewer than {@code max} were counted. The item carries no account attribute.
     *
     * @return false (nothing written) when {@code max} tries were counted already
     */
    boolean countTry(String partition, long max, long expiresAtSeconds);

    /** Removes both counters: a success. */
    void reset(String partition, String source);

    /** The two counters of one attempt. */
    record Pair(AttemptCounter pair, AttemptCounter address) {
    }
}
