package dev.userapi.core.activity;

/** What happened to an account's credentials or sessions, as {@code GET /me/activity} names it. */
public enum ActivityEvent {
    SIGN_IN,
    SIGN_IN_FAILED,
    PASSWORD_CHANGED,
    PASSWORD_RESET,
    MFA_ENABLED,
    MFA_DISABLED,
    PASSKEY_ADDED,
    PASSKEY_REMOVED,
    EMAIL_CHANGED,
    SESSION_REVOKED
}
