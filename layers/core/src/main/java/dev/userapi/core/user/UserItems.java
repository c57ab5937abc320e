package dev.userapi.core.user;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.Attr;
import dev.userapi.core.aws.StoredItems;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.zip.CRC32;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The users' items in the single table (docs/DATA-MODEL.md): their keys, and the mapping between
 * attribute maps and {@link UserProfile} / {@link UserRecord}. No I/O.
 */
final class UserItems {
    static final String KIND = "user";
    static final String PK = "pk";
    static final String SK = "sk";
    static final String GSI_PK = "gsi1pk";
    static final String GSI_SK = "gsi1sk";
    static final String PROFILE = "PROFILE";
    /**
     * How many index partitions each listing is spread over (docs/DATA-MODEL.md): profile and
     * membership writes spread over this many index partition keys, and an unsharded listing query
     * fans out over as many.
     */
    static final int SHARDS = 8;
    /** How many leading code points of the e-mail choose its shard: a longer prefix search hits one shard. */
    static final int SHARD_PREFIX = 2;
    /** The listed profiles in the index: one set of shards per status, so a status filter reads only its own. */
    static final String ENABLED_PREFIX = "USERS#";
    static final String DISABLED_PREFIX = "DISABLED#";
    static final String DELETED = UserStatus.DELETED.name();
    /** A tombstone outlives the account's tokens (at most an hour) with room to spare. */
    static final long TOMBSTONE_TTL_SECONDS = 2 * 24 * 3600;
    /**
     * The count of <em>enabled</em> administrators. (The first release counted every administrator in
     * {@code META/ADMINS}, disabled ones too; that item is no longer read or written: see
     * {@code RoleStore#ensureCounter} for how this one starts, and docs/DATA-MODEL.md.)
     */
    static final Map<String, AttributeValue> ADMIN_COUNTER = Map.of(PK, s("META"), SK, s("ENABLED_ADMINS"));

    private UserItems() {
    }

    static Map<String, AttributeValue> profileKey(String id) {
        return Map.of(PK, s("USER#" + id), SK, s(PROFILE));
    }

    static Map<String, AttributeValue> roleKey(String id, String role) {
        return Map.of(PK, s("USER#" + id), SK, s("ROLE#" + role));
    }

    /**
     * The shard of an e-mail address (or of any string starting with its first {@link #SHARD_PREFIX}
     * code points): a stable hash of those code points, in {@code [0, SHARDS)}.
     */
    static int shard(String email) {
        int end = email.offsetByCodePoints(0, Math.min(SHARD_PREFIX, email.codePointCount(0, email.length())));
        CRC32 crc = new CRC32();
        crc.update(email.substring(0, end).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % SHARDS);
    }

    /** The one shard every e-mail starting with {@code prefix} falls in, if the prefix is long enough to tell. */
    static OptionalInt shardOfPrefix(String prefix) {
        return prefix.codePointCount(0, prefix.length()) >= SHARD_PREFIX ? OptionalInt.of(shard(prefix)) : OptionalInt.empty();
    }

    /** The index partition of a listed profile: its status and its e-mail's shard. */
    static String profilePartition(UserStatus status, int shard) {
        return (status == UserStatus.DISABLED ? DISABLED_PREFIX : ENABLED_PREFIX) + shard;
    }

    /** The index partition of a role's members whose e-mails fall in {@code shard}. */
    static String rolePartition(String role, int shard) {
        return "ROLE#" + role + "#" + shard;
    }

    /** The index sort key of a profile and of its memberships: unique, in e-mail order. */
    static String listingKey(String email, String id) {
        return email + "#" + id;
    }

    /** The user id at the end of a {@link #listingKey}. */
    static String idOfListingKey(String key) {
        return key.substring(key.lastIndexOf('#') + 1);
    }

    /**
     * When the account was confirmed at Cognito (ISO instant): set once, when a profile is made for a confirmed account
     * or an invited account sets its first password; the table's stream reads its appearance as {@code user.confirmed}.
     */
    static final String CONFIRMED_AT = "confirmedAt";

    static boolean isTombstone(Map<String, AttributeValue> item) {
        return DELETED.equals(Attr.string(item, "status").orElse(null));
    }

    /** A live profile item, listed in the index by e-mail. */
    static Map<String, AttributeValue> toItem(UserProfile p) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(profileKey(p.id()));
        item.put(GSI_PK, s(profilePartition(p.status(), shard(p.email()))));
        item.put(GSI_SK, s(listingKey(p.email(), p.id())));
        item.put("id", s(p.id()));
        item.put("email", s(p.email()));
        putIfPresent(item, "name", p.name());
        putIfPresent(item, "locale", p.locale());
        putIfPresent(item, "picture", p.picture());
        putIfPresent(item, "phoneNumber", p.phoneNumber());
        item.put("roles", Attr.list(p.roles()));
        item.put("status", s(p.status().name()));
        item.put("mfaEnabled", Attr.bool(p.mfaEnabled()));
        item.put("createdAt", s(p.createdAt().toString()));
        item.put("updatedAt", s(p.updatedAt().toString()));
        item.put("version", n(p.version()));
        return item;
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    static UserProfile toProfile(Map<String, AttributeValue> item) {
        // attributes an older write may lack keep their defaults; a value that does not parse is unreadable
        return StoredItems.readable(KIND, item, () -> new UserProfile(
                StoredItems.string(item, "id"),
                Attr.string(item, "email").orElse(null),
                Attr.string(item, "name").orElse(null),
                Attr.string(item, "locale").orElse(null),
                Attr.string(item, "picture").orElse(null),
                Attr.string(item, "phoneNumber").orElse(null),
                Attr.strings(item, "roles"),
                UserStatus.valueOf(Attr.string(item, "status").orElse("ENABLED")),
                Attr.bool(item, "mfaEnabled"),
                Attr.string(item, "createdAt").map(Instant::parse).orElse(Instant.EPOCH),
                Attr.string(item, "updatedAt").map(Instant::parse).orElse(Instant.EPOCH),
                Attr.number(item, "version").orElse(1L)));
    }

    /** The attributes {@link #toRecord} reads, for a projection. */
    static final String RECORD_PROJECTION = "#s, #r, revokedBefore, sessionsRevokedBefore, revokedJtis";
    static final Map<String, String> RECORD_PROJECTION_NAMES = Map.of("#s", "status", "#r", "roles");

    static UserRecord toRecord(String id, Map<String, AttributeValue> item) {
        return StoredItems.readable(KIND, item, () -> new UserRecord(id,
                UserStatus.valueOf(Attr.string(item, "status").orElse("ENABLED")),
                Attr.strings(item, "roles"),
                optional(Attr.number(item, "revokedBefore").orElse(null)),
                optional(Attr.number(item, "sessionsRevokedBefore").orElse(null)),
                revokedJtis(item)));
    }

    /** The {@code revokedJtis} map: {@code origin_jti} → epoch seconds after which it can be forgotten. */
    static Map<String, Long> revokedJtis(Map<String, AttributeValue> item) {
        AttributeValue map = item.get("revokedJtis");
        if (map == null || !map.hasM()) {
            return Map.of();
        }
        return StoredItems.readable(KIND, item, () -> {
            Map<String, Long> out = new LinkedHashMap<>();
            map.m().forEach((jti, until) -> {
                if (until.n() != null) {
                    out.put(jti, Long.parseLong(until.n()));
                }
            });
            return out;
        });
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** A role membership, listed in the index under the role by e-mail. */
    static Map<String, AttributeValue> roleItem(String id, String email, String role) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(roleKey(id, role));
        item.put("id", s(id));
        item.put("role", s(role));
        item.put(GSI_PK, s(rolePartition(role, shard(email))));
        item.put(GSI_SK, s(listingKey(email, id)));
        return item;
    }

    /**
     * What a deleted account leaves: no personal data, every token and session issued before
     * {@code nowMillis} refused, removed by the table's TTL after {@link #TOMBSTONE_TTL_SECONDS}.
     * Not in the index, so listings never see it.
     */
    static Map<String, AttributeValue> tombstone(String id, long nowMillis) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(profileKey(id));
        item.put("id", s(id));
        item.put("status", s(DELETED));
        item.put("revokedBefore", n(nowMillis));
        item.put("sessionsRevokedBefore", n(nowMillis));
        item.put("deletedAt", s(Instant.ofEpochMilli(nowMillis).toString()));
        item.put("expiresAt", n(nowMillis / 1000 + TOMBSTONE_TTL_SECONDS));
        return item;
    }
}
