package dev.userapi.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.userapi.core.config.ConfigurationException;
import dev.userapi.core.problem.ApiException;
import dev.userapi.core.problem.ErrorCode;
import dev.userapi.core.problem.MailUnavailableException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

class SesMailerTest {
    private static final String ARN = "arn:aws:ses:eu-central-1:123456789012:identity/example.com";

    private static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    @Test
    void theRequest_carriesSenderIdentityRecipientSubjectTextCodeAndKind() {
        MailConfig config = MailConfig.from(env("MAIL_FROM", "User API <no-reply@example.com>", "MAIL_SOURCE_ARN", ARN));
        SesMailer mailer = new SesMailer(config, () -> {
            throw new AssertionError("no client needed to build a request");
        });

        SendEmailRequest request = mailer.request("ann@example.org", MailKind.ORG_INVITATION, "Join Acme", "Ann, join us.", "tok-123");

        assertThat(request.fromEmailAddress()).isEqualTo("User API <no-reply@example.com>");
        assertThat(request.fromEmailAddressIdentityArn()).isEqualTo(ARN);
        assertThat(request.destination().toAddresses()).containsExactly("ann@example.org");
        assertThat(request.destination().hasCcAddresses()).isFalse();
        assertThat(request.content().simple().subject().data()).isEqualTo("Join Acme");
        assertThat(request.content().simple().subject().charset()).isEqualTo("UTF-8");
        assertThat(request.content().simple().body().text().data()).isEqualTo("Ann, join us.\n\nCode: tok-123");
        assertThat(request.content().simple().body().html()).isNull();
        assertThat(request.emailTags()).singleElement().satisfies(tag -> {
            assertThat(tag.name()).isEqualTo("kind");
            assertThat(tag.value()).isEqualTo("ORG_INVITATION");
        });
    }

    @Test
    void withoutCode_theTextIsUnchanged_andWithoutArn_noIdentity() {
        MailConfig config = MailConfig.from(env("MAIL_FROM", "no-reply@example.com"));
        SendEmailRequest request = new SesMailer(config, () -> null)
                .request("ann@example.org", MailKind.EMAIL_CHANGE_NOTICE, "Your e-mail changed", "It changed.", null);
        assertThat(request.content().simple().body().text().data()).isEqualTo("It changed.");
        assertThat(request.fromEmailAddressIdentityArn()).isNull();
    }

    @Test
    void configuration_takesTheRegionFromTheIdentity_andTheEndpointOverride() {
        MailConfig config = MailConfig.from(env("MAIL_FROM", "no-reply@example.com", "MAIL_SOURCE_ARN", ARN,
                "SES_ENDPOINT", "http://127.0.0.1:4579"));
        assertThat(config.region()).isEqualTo("eu-central-1");
        assertThat(config.endpoint()).contains(URI.create("http://127.0.0.1:4579"));
        assertThat(MailConfig.from(env("MAIL_FROM", "no-reply@example.com")).region()).isEqualTo("eu-west-1");
        assertThatThrownBy(() -> MailConfig.from(env("MAIL_SOURCE_ARN", "arn:aws:s3:::bucket")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MAIL_SOURCE_ARN");
        assertThatThrownBy(() -> MailConfig.from(env("MAIL_FROM", "nobody")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MAIL_FROM");
    }

    @Test
    void withoutSender_everyMessageIsA503WithItsOwnDetail() {
        MailConfig config = MailConfig.from(env("MAIL_FROM", "", "MAIL_SOURCE_ARN", ""));
        assertThat(config.from()).isEqualTo(Optional.empty());
        Mailer mailer = Mailer.from(config, null);
        assertThatThrownBy(() -> mailer.send("ann@example.org", MailKind.EMAIL_CHANGE_NOTICE, "s", "t"))
                .isInstanceOf(MailUnavailableException.class)
                .satisfies(e -> {
                    assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.ServiceUnavailable);
                    assertThat(((ApiException) e).status()).isEqualTo(503);
                    assertThat(((ApiException) e).detail()).isEqualTo(MailUnavailableException.DETAIL);
                });
    }
}
