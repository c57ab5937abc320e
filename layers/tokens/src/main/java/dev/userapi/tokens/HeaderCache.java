package dev.userapi.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed headers of tokens that passed every check, keyed by the exact bytes of their header segment: every
 * Cognito token signed with one key has the same header ({@code {"kid":..,"alg":"RS256"}}), so it is decoded and
 * parsed once rather than on every token. A hit gives the tree a fresh parse of those bytes gives (the same strict
 * parse made it); the header checks still run on it, and the signature still covers the segment.
 *
 * <ul>
 *   <li>Only a verified token's header goes in ({@link #remember}, after the signature and the claims): a forged
 *       token cannot put anything here, and a header spelled any other way is parsed afresh.</li>
 *   <li>Bounded: {@value #CAPACITY} entries (a pool has two keys; a rotation adds one), the oldest replaced.</li>
 *   <li>The cached tree is shared by every reader, so it is unmodifiable: a copy whose map throws on any change, and
 *       only headers whose members are all strings (immutable nodes) are kept.</li>
 * </ul>
 */
final class HeaderCache {
    static final int CAPACITY = 4;

    private record Entry(byte[] segment, ObjectNode header) {
    }

    /** Replaced whole on every change (copy on write), so readers need no lock. */
    private volatile Entry[] entries = new Entry[0];
    /** Where the next entry goes once full (guarded by {@code this}). */
    private int next;

    /** The cached parse of the header segment {@code token[0, end)}, or null. */
    ObjectNode find(byte[] token, int end) {
        for (Entry e : entries) {
            if (e.segment().length == end && Arrays.equals(e.segment(), 0, end, token, 0, end)) {
                return e.header();
            }
        }
        return null;
    }

    /** Keeps the header of {@code verified}, a token that passed every check. */
    void remember(JwtParts verified) {
        if (verified.headerCached() || !allStrings(verified.header())) {
            return;
        }
        synchronized (this) {
            Entry[] current = entries;
            for (Entry e : current) {
                if (verified.headerSegmentEquals(e.segment())) {
                    return;
                }
            }
            Entry entry = new Entry(verified.headerSegment(), unmodifiable(verified.header()));
            Entry[] updated;
            if (current.length < CAPACITY) {
                updated = Arrays.copyOf(current, current.length + 1);
                updated[current.length] = entry;
            } else {
                updated = current.clone();
                updated[next] = entry;
                next = (next + 1) % CAPACITY;
            }
            entries = updated;
        }
    }

    /** How many headers are cached (tests). */
    int size() {
        return entries.length;
    }

    private static boolean allStrings(ObjectNode header) {
        for (Map.Entry<String, JsonNode> member : header.properties()) {
            if (!member.getValue().isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** A copy of {@code header} whose every mutator throws (its map is unmodifiable; its members are immutable strings). */
    private static ObjectNode unmodifiable(ObjectNode header) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : header.properties()) {
            members.put(member.getKey(), member.getValue());
        }
        return new ObjectNode(JsonNodeFactory.instance, Collections.unmodifiableMap(members));
    }
}
