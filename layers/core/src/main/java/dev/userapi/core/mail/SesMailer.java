package dev.userapi.core.mail;

import dev.userapi.core.aws.AwsClients;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.log.Log;
import dev.userapi.core.problem.ServiceUnavailableException;
import dev.userapi.core.problem.TooManyRequestsException;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/**
 * {@link Mailer} on Amazon SES v2 ({@code SendEmail}): the configured sender and identity, the SES region, the
 * URLConnection HTTP client and the functions' timeouts ({@link AwsClients}), and {@code SES_ENDPOINT} when set.
 * The client is built on the first message, once per execution environment (most invocations send none).
 */
public final class SesMailer implements Mailer {
    private static final Log LOG = Log.of(SesMailer.class);
    private static final String UTF_8 = "UTF-8";

    private final MailConfig config;
    private final Supplier<SesV2Client> client;
    private volatile SesV2Client built;

    SesMailer(MailConfig config, Supplier<SesV2Client> client) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = Objects.requireNonNull(client, "client");
        if (config.from().isEmpty()) {
            throw new IllegalArgumentException("SesMailer needs a sender (MAIL_FROM)");
        }
    }

    static SesMailer create(MailConfig config, AppConfig app) {
        return new SesMailer(config, () -> AwsClients.configure(SesV2Client.builder(), app, config.endpoint())
                .region(Region.of(config.region()))
                .build());
    }

    @Override
    public void send(String to, MailKind kind, String subject, String text, String code) {
        SendEmailRequest request = request(to, kind, subject, text, code);
        try {
            client().sendEmail(request);
        } catch (SdkException e) {
            throw translate(e, kind);
        }
        LOG.info("mail sent", "kind", kind.name());
    }

    /** The {@code SendEmail} request for one message (package-private for its unit test). */
    SendEmailRequest request(String to, MailKind kind, String subject, String text, String code) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(kind, "kind");
        String body = code == null ? text : text + "\n\nCode: " + code;
        SendEmailRequest.Builder request = SendEmailRequest.builder()
                .fromEmailAddress(config.from().orElseThrow())
                .destination(Destination.builder().toAddresses(to).build())
                .content(EmailContent.builder().simple(Message.builder()
                        .subject(Content.builder().data(subject).charset(UTF_8).build())
                        .body(Body.builder().text(Content.builder().data(body).charset(UTF_8).build()).build())
                        .build()).build())
                .emailTags(MessageTag.builder().name("kind").value(kind.name()).build());
        config.sourceArn().ifPresent(request::fromEmailAddressIdentityArn);
        return request.build();
    }

    private SesV2Client client() {
        SesV2Client c = built;
        if (c == null) {
            synchronized (this) {
                c = built;
                if (c == null) {
                    c = client.get();
                    built = c;
                }
            }
        }
        return c;
    }

    /** Logged once here (the frame logs only the type); never the recipient's address or the message. */
    private static RuntimeException translate(SdkException e, MailKind kind) {
        LOG.warn("SES call failed", e, "operation", "SendEmail", "kind", kind.name());
        if (e instanceof software.amazon.awssdk.services.sesv2.model.TooManyRequestsException
                || (e instanceof AwsServiceException ase && ase.isThrottlingException())) {
            return new TooManyRequestsException(5, e);
        }
        return new ServiceUnavailableException("The e-mail service could not send the message; try again later.", e);
    }
}
