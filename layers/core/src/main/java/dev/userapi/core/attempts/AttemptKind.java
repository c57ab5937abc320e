package dev.userapi.core.attempts;

/**
 * What is being guessed. Each kind has its own counters, so a success of one kind never resets the
 * failures of another: a correct password (which only leads to the MFA challenge) leaves the count of
 * wrong TOTP codes where it was, and a password-guessing attack does not stop the owner from using a
 * reset code.
 */
public enum AttemptKind {
    /** The account's password: {@code /auth/login}, {@code POST /me/password}, {@code /auth/reauthenticate}. */
    PASSWORD,
    /** A TOTP code: {@code /auth/login/mfa} (and the code of {@code /auth/reauthenticate}). */
    MFA_CODE,
    /** The sign-up confirmation code: {@code /auth/confirm}. */
    CONFIRMATION_CODE,
    /** The forgotten-password code: {@code /auth/reset-password}. */
    RESET_CODE,
    /** A one-time sign-in code sent by e-mail: {@code /auth/login/email-code/verify}. */
    EMAIL_CODE,
    /** The code that verifies a new e-mail address: {@code /me/email/verify}. */
    EMAIL_CHANGE_CODE
}
