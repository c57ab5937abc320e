package dev.userapi.core.mail;

/**
 * What a message the API sends itself is for (Cognito's own messages, codes and temporary passwords, are not
 * sent through {@link Mailer}). Sent to SES as the message tag {@code kind}, so SES's metrics and the local outbox
 * can tell messages apart; never anything secret.
 */
public enum MailKind {
    /** The code that verifies a new address for an account ({@code POST /me/email}), to that new address. */
    EMAIL_CHANGE,
    /** To the old address when an account's e-mail changes. */
    EMAIL_CHANGE_NOTICE,
    /** A sign-in code the API sends itself: to an account with TOTP on, which Cognito offers no e-mail code (issue 18). */
    EMAIL_OTP,
    /** An invitation to join an organization. */
    ORG_INVITATION
}
