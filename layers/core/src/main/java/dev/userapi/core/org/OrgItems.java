package dev.userapi.core.org;

import static dev.userapi.core.aws.Attr.n;
import static dev.userapi.core.aws.Attr.s;

import dev.userapi.core.aws.StoredItems;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items of organizations on the users table (docs/DATA-MODEL.md):
 * <ul>
 *   <li>organization {@code ORG#<orgId>} / {@code ORG}: {@code id, name, createdAt, memberCount, owners};</li>
 *   <li>membership {@code ORG#<orgId>} / {@code MEMBER#<sub>} ("members of an org") and its mirror
 *       {@code USER#<sub>} / {@code MEMBER_OF#<orgId>} ("my orgs"), always written together;</li>
 *   <li>invitation {@code ORG#<orgId>} / {@code INVITATION#<id>}, with the SHA-256 of its token, and the token's
 *       pointer {@code INVITATION#<sha256(token)>} / {@code TOKEN} to it.</li>
 * </ul>
 */
final class OrgItems {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String ORG = "ORG";
    static final String MEMBER = "MEMBER#";
    static final String MEMBER_OF = "MEMBER_OF#";
    static final String INVITATION = "INVITATION#";
    static final String TOKEN = "TOKEN";
    static final String JOINING_CLOSED = "JOINING_CLOSED";
    /** Written on a membership by organization just before the organization's deletion removes it (no org.member_removed). */
    static final String REMOVED_WITH_ORG = "removedWithOrg";
    /** How long TTL keeps an invitation and its token item after the invitation's validity (for 410 answers and the list). */
    static final Duration KEEP_AFTER_EXPIRY = Duration.ofDays(30);

    private OrgItems() {
    }

    static String orgPartition(String orgId) {
        return "ORG#" + orgId;
    }

    static String userPartition(String userId) {
        return "USER#" + userId;
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    static Map<String, AttributeValue> orgKey(String orgId) {
        return key(orgPartition(orgId), ORG);
    }

    static Map<String, AttributeValue> memberKey(String orgId, String userId) {
        return key(orgPartition(orgId), MEMBER + userId);
    }

    static Map<String, AttributeValue> mirrorKey(String orgId, String userId) {
        return key(userPartition(userId), MEMBER_OF + orgId);
    }

    static Map<String, AttributeValue> invitationKey(String orgId, String id) {
        return key(orgPartition(orgId), INVITATION + id);
    }

    static Map<String, AttributeValue> tokenKey(String tokenHash) {
        return key(INVITATION + tokenHash, TOKEN);
    }

    /** {@code USER#<sub>} / {@code JOINING_CLOSED}: the account is being deleted and joins nothing until {@code expiresAt}. */
    static Map<String, AttributeValue> joiningClosedKey(String userId) {
        return key(userPartition(userId), JOINING_CLOSED);
    }

    static Map<String, AttributeValue> joiningClosedItem(String userId, Instant until) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(joiningClosedKey(userId));
        item.put("expiresAt", n(until.getEpochSecond()));
        return item;
    }

    static Map<String, AttributeValue> profileKey(String userId) {
        return key(userPartition(userId), "PROFILE");
    }

    /** The hex SHA-256 of an invitation token: what the items hold instead of the token. */
    public static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, AttributeValue> orgItem(Org org) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(orgKey(org.id()));
        item.put("id", s(org.id()));
        item.put("name", s(org.name()));
        item.put("createdAt", s(org.createdAt().toString()));
        item.put("memberCount", n(org.memberCount()));
        item.put("owners", n(org.owners()));
        return item;
    }

    static Org org(Map<String, AttributeValue> item) {
        return readable(item, () -> new Org(StoredItems.string(item, "id"), StoredItems.string(item, "name"),
                StoredItems.instant(item, "createdAt"), StoredItems.number(item, "memberCount"), StoredItems.number(item, "owners")));
    }

    static Map<String, AttributeValue> membershipItem(Map<String, AttributeValue> key, Membership m) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key);
        item.put("orgId", s(m.orgId()));
        item.put("userId", s(m.userId()));
        item.put("role", s(m.role().value()));
        item.put("joinedAt", s(m.joinedAt().toString()));
        return item;
    }

    static Membership membership(Map<String, AttributeValue> item) {
        return readable(item, () -> new Membership(StoredItems.string(item, "orgId"), StoredItems.string(item, "userId"),
                OrgRole.parse(StoredItems.string(item, "role")), StoredItems.instant(item, "joinedAt")));
    }

    static Map<String, AttributeValue> invitationItem(Invitation inv, String tokenHash) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(invitationKey(inv.orgId(), inv.id()));
        item.put("id", s(inv.id()));
        item.put("orgId", s(inv.orgId()));
        item.put("email", s(inv.email()));
        item.put("role", s(inv.role().value()));
        item.put("createdAt", s(inv.createdAt().toString()));
        item.put("validUntil", n(inv.validUntil().toEpochMilli()));
        item.put("status", s(inv.status()));
        item.put("invitedBy", s(inv.invitedBy()));
        item.put("tokenHash", s(tokenHash));
        item.put("expiresAt", n(inv.validUntil().plus(KEEP_AFTER_EXPIRY).getEpochSecond()));
        return item;
    }

    static Map<String, AttributeValue> tokenItem(Invitation inv, String tokenHash) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(tokenKey(tokenHash));
        item.put("orgId", s(inv.orgId()));
        item.put("invitationId", s(inv.id()));
        item.put("expiresAt", n(inv.validUntil().plus(KEEP_AFTER_EXPIRY).getEpochSecond()));
        return item;
    }

    static Invitation invitation(Map<String, AttributeValue> item) {
        return readable(item, () -> new Invitation(StoredItems.string(item, "id"), StoredItems.string(item, "orgId"),
                StoredItems.string(item, "email"), OrgRole.parse(StoredItems.string(item, "role")), StoredItems.instant(item, "createdAt"),
                Instant.ofEpochMilli(StoredItems.number(item, "validUntil")), StoredItems.string(item, "status"),
                StoredItems.string(item, "invitedBy")));
    }

    /** An invitation's token pointer: the invitation it stands for (organization id, invitation id). */
    static Map.Entry<String, String> tokenTarget(Map<String, AttributeValue> item) {
        return readable(item, () -> Map.entry(StoredItems.string(item, "orgId"), StoredItems.string(item, "invitationId")));
    }

    /** The token hash every invitation item carries. */
    static String tokenHash(Map<String, AttributeValue> item) {
        return readable(item, () -> StoredItems.string(item, "tokenHash"));
    }

    /**
     * An item the store answered that lacks what every write of it puts (a stored role is never the caller's input,
     * so not a 400 either): a logged 503 ({@link StoredItems#readable}).
     */
    private static <T> T readable(Map<String, AttributeValue> item, Supplier<T> parse) {
        return StoredItems.readable("organization", item, parse);
    }
}
