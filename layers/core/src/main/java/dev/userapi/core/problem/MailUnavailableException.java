package dev.userapi.core.problem;

/**
 * 503 {@code ServiceUnavailable}: the API has no e-mail sender configured (the stack was deployed without
 * {@code SesSourceArn} and {@code EmailFrom}), so it cannot send a message that a route needs to send.
 * docs/openapi.yaml documents the detail ({@code components.examples.MailNotConfigured}).
 */
public class MailUnavailableException extends ServiceUnavailableException {
    public static final String DETAIL = "The API has no e-mail sender configured, so it cannot send this message; "
            + "the operator must deploy with SesSourceArn and EmailFrom.";

    public MailUnavailableException() {
        super(DETAIL);
    }
}
