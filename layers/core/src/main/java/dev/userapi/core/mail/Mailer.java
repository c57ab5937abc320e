package dev.userapi.core.mail;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.problem.MailUnavailableException;

/**
 * The API's own e-mail (the messages Cognito does not send): one port, with Amazon SES behind it on AWS
 * ({@link SesMailer}) and the local stack's SES-compatible endpoint, which writes to its outbox, behind the same
 * code locally (only {@code SES_ENDPOINT} differs). Without a configured sender every call fails with
 * {@link MailUnavailableException} (503 {@code ServiceUnavailable}).
 */
public interface Mailer {
    /**
     * Sends one plain-text message to {@code to} from the configured sender.
     *
     * @param code a code or token the message carries, or null: it is appended to the text as its last line,
     *             {@code Code: <code>}, where a reader (and the local outbox) finds it; never logged
     * @throws MailUnavailableException         when no sender is configured
     * @throws dev.userapi.core.problem.ApiException 503 or 429 when SES refuses or cannot be reached
     */
    void send(String to, MailKind kind, String subject, String text, String code);

    /** {@link #send(String, MailKind, String, String, String)} without a code. */
    default void send(String to, MailKind kind, String subject, String text) {
        send(to, kind, subject, text, null);
    }

    /** The mailer for {@code config}: SES when a sender is configured, otherwise one that refuses every message. */
    static Mailer from(MailConfig config, AppConfig app) {
        if (config.from().isEmpty()) {
            return (to, kind, subject, text, code) -> {
                throw new MailUnavailableException();
            };
        }
        return SesMailer.create(config, app);
    }
}
