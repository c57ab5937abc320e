package dev.userapi.local.outbox;

import java.time.Instant;

/**
 * One message Cognito would have e-mailed.
 *
 * @param kind what it is for: {@code SIGN_UP}, {@code RESEND_CODE}, {@code FORGOT_PASSWORD},
 *             {@code ADMIN_RESET_PASSWORD}, {@code TEMPORARY_PASSWORD}, or one of the API's own ({@code core.mail.MailKind},
 *             through the local SES endpoint)
 * @param code the confirmation/reset code or the temporary password
 * @param text the message as a user would read it
 */
public record OutboxMessage(Instant at, String email, String kind, String code, String text) {
}
