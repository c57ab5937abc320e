package dev.userapi.core.user;

import dev.userapi.core.aws.Cursors;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The position of a sharded listing between pages: which listing it belongs to, the index sort key
 * ({@code <email>#<sub>}) of the last entry the k-way merge consumed, and which of the listing's
 * shards were exhausted. Every shard resumes right after {@code after} (the merge consumes in global
 * order, so every entry up to it, in every shard, was consumed), which is each shard's own
 * {@code LastEvaluatedKey} without carrying up to 16 of them. Opaque base64url JSON, validated on
 * the way back in ({@link Cursors}): a cursor of another listing, outside the e-mail prefix, with
 * bits for shards the listing does not have, or otherwise altered is a 400.
 */
record ListingCursor(String listing, String after, long done) {
    private static final Set<String> FIELDS = Set.of("l", "a", "d");

    String encode() {
        return Cursors.encodeFields(Map.of("l", listing, "a", after, "d", Long.toHexString(done)));
    }

    boolean isDone(int stream) {
        return (done & (1L << stream)) != 0;
    }

    /**
     * Reads a cursor of the listing {@code listing} over {@code streams} shards, restricted to
     * e-mails starting with {@code prefix}.
     *
     * @throws dev.userapi.core.problem.InvalidRequestException if it was not produced by that listing
     */
    static ListingCursor decode(String cursor, String listing, Optional<String> prefix, int streams) {
        Map<String, String> fields = Cursors.decodeFields(cursor, FIELDS, f -> f.get("l").equals(listing)
                && validAfter(f.get("a"), prefix)
                && f.get("d").matches("[0-9a-f]{1,4}") && Long.parseLong(f.get("d"), 16) < (1L << streams));
        return new ListingCursor(listing, fields.get("a"), Long.parseLong(fields.get("d"), 16));
    }

    private static boolean validAfter(String after, Optional<String> prefix) {
        int hash = after.lastIndexOf('#');
        return hash > 0 && hash < after.length() - 1
                && after.chars().noneMatch(Character::isISOControl)
                && prefix.map(after::startsWith).orElse(true);
    }
}
