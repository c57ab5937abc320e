package dev.userapi.webhooks.events;

import java.util.List;

/** The event types, as {@code docs/EVENTS.md} lists them; a webhook subscribes to some of these. */
public final class EventTypes {
    public static final String USER_CREATED = "user.created";
    public static final String USER_CONFIRMED = "user.confirmed";
    public static final String USER_UPDATED = "user.updated";
    public static final String USER_EMAIL_CHANGED = "user.email_changed";
    public static final String USER_ROLES_CHANGED = "user.roles_changed";
    public static final String USER_DISABLED = "user.disabled";
    public static final String USER_ENABLED = "user.enabled";
    public static final String USER_DELETED = "user.deleted";
    public static final String SESSION_CREATED = "session.created";
    public static final String SESSION_REVOKED = "session.revoked";
    public static final String PASSWORD_CHANGED = "password.changed";
    public static final String MFA_ENABLED = "mfa.enabled";
    public static final String MFA_DISABLED = "mfa.disabled";
    public static final String PASSKEY_ADDED = "passkey.added";
    public static final String PASSKEY_REMOVED = "passkey.removed";
    public static final String ORG_CREATED = "org.created";
    public static final String ORG_MEMBER_ADDED = "org.member_added";
    public static final String ORG_MEMBER_REMOVED = "org.member_removed";
    public static final String ORG_DELETED = "org.deleted";
    public static final String ORG_UPDATED = "org.updated";
    public static final String ORG_MEMBER_ROLE_CHANGED = "org.member_role_changed";
    public static final String ORG_INVITATION_CREATED = "org.invitation_created";
    public static final String ORG_INVITATION_REVOKED = "org.invitation_revoked";
    public static final String ORG_INVITATION_ACCEPTED = "org.invitation_accepted";

    /** Every type a webhook may subscribe to (the org.* types and user.confirmed are accepted; docs/EVENTS.md says when they are sent). */
    public static final List<String> ALL = List.of(USER_CREATED, USER_CONFIRMED, USER_UPDATED, USER_EMAIL_CHANGED, USER_ROLES_CHANGED,
            USER_DISABLED, USER_ENABLED, USER_DELETED, SESSION_CREATED, SESSION_REVOKED, PASSWORD_CHANGED, MFA_ENABLED, MFA_DISABLED,
            PASSKEY_ADDED, PASSKEY_REMOVED, ORG_CREATED, ORG_UPDATED, ORG_MEMBER_ADDED, ORG_MEMBER_ROLE_CHANGED, ORG_MEMBER_REMOVED, ORG_DELETED,
            ORG_INVITATION_CREATED, ORG_INVITATION_REVOKED, ORG_INVITATION_ACCEPTED);

    private EventTypes() {
    }
}
