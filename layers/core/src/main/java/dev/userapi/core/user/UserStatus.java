package dev.userapi.core.user;

/** Whether an account may sign in. {@code DELETED} marks a tombstone that outlives the account's tokens. */
public enum UserStatus {
    ENABLED, DISABLED, DELETED
}
