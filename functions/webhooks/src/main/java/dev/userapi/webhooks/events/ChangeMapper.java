package dev.userapi.webhooks.events;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns one change of the users table into the lifecycle events it means (pure; docs/EVENTS.md). Only profiles
 * ({@code USER#<sub>/PROFILE}), passkey names, sessions ({@code SESSION#…/SESSION}), organizations
 * ({@code ORG#<orgId>/ORG}), memberships by organization ({@code ORG#<orgId>/MEMBER#<sub>}) and invitations
 * ({@code ORG#<orgId>/INVITATION#<id>}) produce events; every other item (role memberships, the membership mirrors
 * {@code USER#<sub>/MEMBER_OF#…}, invitation token pointers, counters, audit, attempts, webhooks and their deliveries)
 * produces none. Each organization change makes one event from the one item that stands for it: the mirror and the
 * organization's counters, written in the same transaction, make none. An invitation's token hash never reaches an
 * event. A membership removed because its organization was deleted carries
 * {@code removedWithOrg} (written by the deletion's sweep just before it deletes it): {@code org.deleted} stands for
 * it, so it makes no {@code org.member_removed}. Revocation attributes
 * ({@code revokedBefore}, {@code sessionsRevokedBefore}, {@code revokedJtis}) and a session's key (a hash of its
 * refresh token) never reach an event.
 *
 * <p>An event's id is {@code evt_} + the first 128 bits (hex) of SHA-256 over the stream record's {@code eventID} and
 * the type: the same record delivered again gives the same ids, and the several events of one record differ.
 */
public final class ChangeMapper {
    static final String DELETED = "DELETED";
    static final String ENABLED = "ENABLED";
    static final String DISABLED = "DISABLED";
    static final String ORG_PREFIX = "ORG#";
    /** The marker the deletion of an organization writes on each membership before deleting it (docs/DATA-MODEL.md). */
    static final String REMOVED_WITH_ORG = "removedWithOrg";
    /** An invitation's stored statuses after {@code PENDING} (dev.userapi.core.org.Invitation). */
    static final String INVITATION_REVOKED = "REVOKED";
    static final String INVITATION_ACCEPTED = "ACCEPTED";
    /** Profile fields whose change is a {@code user.updated}. */
    /** The profile's marker of a confirmed account (docs/DATA-MODEL.md): its appearance is a {@code user.confirmed}. */
    static final String CONFIRMED_AT = "confirmedAt";
    static final List<String> PROFILE_FIELDS = List.of("name", "locale", "picture", "phoneNumber");

    private ChangeMapper() {
    }

    public static List<LifecycleEvent> map(StreamChange change) {
        String pk = change.key("pk");
        String sk = change.key("sk");
        List<Typed> events;
        if (pk.startsWith("USER#") && "PROFILE".equals(sk)) {
            events = profile(change, pk.substring("USER#".length()));
        } else if (pk.startsWith("PASSKEY#") && sk.startsWith("CREDENTIAL#")) {
            events = passkey(change, pk.substring("PASSKEY#".length()));
        } else if (pk.startsWith("SESSION#") && "SESSION".equals(sk)) {
            events = session(change);
        } else if (pk.startsWith(ORG_PREFIX) && "ORG".equals(sk)) {
            events = org(change, pk.substring(ORG_PREFIX.length()));
        } else if (pk.startsWith(ORG_PREFIX) && sk.startsWith("MEMBER#")) {
            events = membership(change, pk.substring(ORG_PREFIX.length()), sk.substring("MEMBER#".length()));
        } else if (pk.startsWith(ORG_PREFIX) && sk.startsWith("INVITATION#")) {
            events = invitation(change, pk.substring(ORG_PREFIX.length()), sk.substring("INVITATION#".length()));
        } else {
            events = List.of();
        }
        List<LifecycleEvent> out = new ArrayList<>();
        for (Typed e : events) {
            out.add(new LifecycleEvent(eventId(change.recordId(), e.type()), e.type(), change.at(), e.data()));
        }
        return out;
    }

    public static String eventId(String recordId, String type) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((recordId + "\n" + type).getBytes(StandardCharsets.UTF_8));
            return "evt_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Typed(String type, Map<String, Object> data) {
    }

    private static List<Typed> profile(StreamChange change, String userId) {
        Map<String, Object> before = change.oldImage();
        Map<String, Object> after = change.newImage();
        boolean wasLive = !before.isEmpty() && !DELETED.equals(before.get("status"));
        boolean isLive = !after.isEmpty() && !DELETED.equals(after.get("status"));
        List<Typed> out = new ArrayList<>();
        if (!wasLive && isLive) {
            Map<String, Object> data = base(userId);
            data.put("email", after.get("email"));
            putIfPresent(data, after, "name");
            data.put("roles", strings(after.get("roles")));
            data.put("status", after.get("status"));
            putIfPresent(data, after, "createdAt");
            out.add(new Typed(EventTypes.USER_CREATED, data));
            if (after.get(CONFIRMED_AT) != null) {
                out.add(confirmed(userId, after));
            }
            return out;
        }
        if (wasLive && !isLive) {
            if ("REMOVE".equals(change.operation()) && change.byTtl()) {
                return out;
            }
            Map<String, Object> data = base(userId);
            putIfPresent(data, after, "deletedAt");
            out.add(new Typed(EventTypes.USER_DELETED, data));
            return out;
        }
        if (!wasLive) {
            return out; // a tombstone written again, or one expiring: nothing a receiver needs
        }
        if (before.get(CONFIRMED_AT) == null && after.get(CONFIRMED_AT) != null) {
            out.add(confirmed(userId, after));
        }
        if (!Objects.equals(before.get("email"), after.get("email"))) {
            Map<String, Object> data = base(userId);
            data.put("email", after.get("email"));
            data.put("previousEmail", before.get("email"));
            out.add(new Typed(EventTypes.USER_EMAIL_CHANGED, data));
        }
        List<String> fields = new ArrayList<>();
        for (String field : PROFILE_FIELDS) {
            if (!Objects.equals(before.get(field), after.get(field))) {
                fields.add(field);
            }
        }
        if (!fields.isEmpty()) {
            Map<String, Object> data = base(userId);
            data.put("changed", fields);
            Map<String, Object> profile = new LinkedHashMap<>();
            for (String field : PROFILE_FIELDS) {
                profile.put(field, after.get(field));
            }
            data.put("profile", profile);
            out.add(new Typed(EventTypes.USER_UPDATED, data));
        }
        List<String> rolesBefore = strings(before.get("roles"));
        List<String> rolesAfter = strings(after.get("roles"));
        if (!rolesBefore.equals(rolesAfter)) {
            Map<String, Object> data = base(userId);
            data.put("roles", rolesAfter);
            data.put("previousRoles", rolesBefore);
            out.add(new Typed(EventTypes.USER_ROLES_CHANGED, data));
        }
        Object statusBefore = before.get("status");
        Object statusAfter = after.get("status");
        if (ENABLED.equals(statusBefore) && DISABLED.equals(statusAfter)) {
            out.add(new Typed(EventTypes.USER_DISABLED, base(userId)));
        } else if (DISABLED.equals(statusBefore) && ENABLED.equals(statusAfter)) {
            out.add(new Typed(EventTypes.USER_ENABLED, base(userId)));
        }
        boolean mfaBefore = Boolean.TRUE.equals(before.get("mfaEnabled"));
        boolean mfaAfter = Boolean.TRUE.equals(after.get("mfaEnabled"));
        if (mfaBefore != mfaAfter) {
            Map<String, Object> data = base(userId);
            data.put("method", "TOTP");
            out.add(new Typed(mfaAfter ? EventTypes.MFA_ENABLED : EventTypes.MFA_DISABLED, data));
        }
        Object changedBefore = before.get("passwordChangedAt");
        Object changedAfter = after.get("passwordChangedAt");
        if (changedAfter != null && !Objects.equals(changedBefore, changedAfter)) {
            out.add(new Typed(EventTypes.PASSWORD_CHANGED, base(userId)));
        }
        return out;
    }

    private static Typed confirmed(String userId, Map<String, Object> after) {
        Map<String, Object> data = base(userId);
        putIfPresent(data, after, CONFIRMED_AT);
        return new Typed(EventTypes.USER_CONFIRMED, data);
    }

    /**
     * A passkey's item (its owner's name for it, docs/DATA-MODEL.md): written when the passkey is registered through
     * the API or found at Cognito without one (registered there directly), removed when it is removed through the API,
     * found gone at Cognito, or its account is deleted. A rename rewrites the item and makes no event.
     */
    private static List<Typed> passkey(StreamChange change, String userId) {
        Map<String, Object> image;
        String type;
        if ("INSERT".equals(change.operation())) {
            image = change.newImage();
            type = EventTypes.PASSKEY_ADDED;
        } else if ("REMOVE".equals(change.operation()) && !change.byTtl()) {
            image = change.oldImage();
            type = EventTypes.PASSKEY_REMOVED;
        } else {
            return List.of();
        }
        Map<String, Object> data = base(userId);
        data.put("passkeyId", image.get("credentialId")); // the id GET /me/passkeys gives it
        if (EventTypes.PASSKEY_ADDED.equals(type)) {
            putIfPresent(data, image, "name");
        }
        return List.of(new Typed(type, data));
    }

    /** The organization item: created, renamed and deleted (its counts changing, with a membership, make no event). */
    private static List<Typed> org(StreamChange change, String orgId) {
        switch (change.operation()) {
            case "INSERT": {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("orgId", orgId);
                putIfPresent(data, change.newImage(), "name");
                putIfPresent(data, change.newImage(), "createdAt");
                return List.of(new Typed(EventTypes.ORG_CREATED, data));
            }
            case "REMOVE": {
                if (change.byTtl()) {
                    return List.of();
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("orgId", orgId);
                putIfPresent(data, change.oldImage(), "name");
                return List.of(new Typed(EventTypes.ORG_DELETED, data));
            }
            case "MODIFY": {
                Object before = change.oldImage().get("name");
                Object after = change.newImage().get("name");
                if (Objects.equals(before, after)) {
                    return List.of();
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("orgId", orgId);
                data.put("name", after);
                data.put("previousName", before);
                return List.of(new Typed(EventTypes.ORG_UPDATED, data));
            }
            default:
                return List.of();
        }
    }

    /**
     * An invitation (docs/DATA-MODEL.md): created {@code PENDING}, then {@code REVOKED} or {@code ACCEPTED} (the
     * acceptance's membership is its own {@code org.member_added}). One that simply runs out makes no write and no
     * event; its expiry by TTL and its removal with its organization ({@code org.deleted}) make none either.
     */
    private static List<Typed> invitation(StreamChange change, String orgId, String invitationId) {
        Map<String, Object> after = change.newImage();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orgId", orgId);
        data.put("invitationId", invitationId);
        if ("INSERT".equals(change.operation())) {
            putIfPresent(data, after, "email");
            putIfPresent(data, after, "role");
            putIfPresent(data, after, "invitedBy");
            putIfPresent(data, after, "createdAt");
            if (after.get("validUntil") instanceof BigDecimal millis) {
                data.put("validUntil", Instant.ofEpochMilli(millis.longValue()).toString());
            }
            return List.of(new Typed(EventTypes.ORG_INVITATION_CREATED, data));
        }
        if (!"MODIFY".equals(change.operation()) || Objects.equals(change.oldImage().get("status"), after.get("status"))) {
            return List.of();
        }
        Object status = after.get("status");
        if (INVITATION_REVOKED.equals(status)) {
            putIfPresent(data, after, "email");
            return List.of(new Typed(EventTypes.ORG_INVITATION_REVOKED, data));
        }
        if (INVITATION_ACCEPTED.equals(status)) {
            if (after.get("acceptedBy") != null) {
                data.put("userId", after.get("acceptedBy"));
            }
            putIfPresent(data, after, "email");
            putIfPresent(data, after, "role");
            putIfPresent(data, after, "acceptedAt");
            return List.of(new Typed(EventTypes.ORG_INVITATION_ACCEPTED, data));
        }
        return List.of();
    }

    /**
     * A membership by organization: added (an organization's creator, an accepted invitation), its role changed, and
     * removed (by an owner or admin, by leaving, by deleting the account) — not when the organization's deletion sweeps
     * it away (nor the sweep's marking it).
     */
    private static List<Typed> membership(StreamChange change, String orgId, String userId) {
        switch (change.operation()) {
            case "INSERT": {
                Map<String, Object> data = base(userId);
                data.put("orgId", orgId);
                putIfPresent(data, change.newImage(), "role");
                putIfPresent(data, change.newImage(), "joinedAt");
                return List.of(new Typed(EventTypes.ORG_MEMBER_ADDED, data));
            }
            case "REMOVE": {
                Map<String, Object> item = change.oldImage();
                if (change.byTtl() || Boolean.TRUE.equals(item.get(REMOVED_WITH_ORG))) {
                    return List.of();
                }
                Map<String, Object> data = base(userId);
                data.put("orgId", orgId);
                putIfPresent(data, item, "role");
                return List.of(new Typed(EventTypes.ORG_MEMBER_REMOVED, data));
            }
            case "MODIFY": {
                Object before = change.oldImage().get("role");
                Object after = change.newImage().get("role");
                if (Objects.equals(before, after)) {
                    return List.of();
                }
                Map<String, Object> data = base(userId);
                data.put("orgId", orgId);
                data.put("role", after);
                data.put("previousRole", before);
                return List.of(new Typed(EventTypes.ORG_MEMBER_ROLE_CHANGED, data));
            }
            default:
                return List.of();
        }
    }

    private static List<Typed> session(StreamChange change) {
        switch (change.operation()) {
            case "INSERT": {
                Map<String, Object> item = change.newImage();
                Map<String, Object> data = base(String.valueOf(item.get("userId")));
                data.put("sessionId", item.get("id"));
                putIfPresent(data, item, "createdAt");
                return List.of(new Typed(EventTypes.SESSION_CREATED, data));
            }
            case "REMOVE": {
                if (change.byTtl()) {
                    return List.of(); // expired, not revoked
                }
                Map<String, Object> item = change.oldImage();
                Map<String, Object> data = base(String.valueOf(item.get("userId")));
                data.put("sessionId", item.get("id"));
                return List.of(new Typed(EventTypes.SESSION_REVOKED, data));
            }
            default:
                return List.of();
        }
    }

    private static Map<String, Object> base(String userId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("userId", userId);
        return data;
    }

    private static void putIfPresent(Map<String, Object> data, Map<String, Object> item, String field) {
        Object value = item.get(field);
        if (value != null) {
            data.put(field, value instanceof BigDecimal number ? number.toPlainString() : value);
        }
    }

    private static List<String> strings(Object value) {
        if (value instanceof java.util.Collection<?> values) {
            return values.stream().map(String::valueOf).sorted().toList();
        }
        return List.of();
    }
}
