package dev.userapi.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.mail.MailConfig;
import dev.userapi.core.mail.MailKind;
import dev.userapi.core.mail.Mailer;
import dev.userapi.local.DevStack;
import dev.userapi.local.FunctionEnvironment;
import dev.userapi.local.lambda.LambdaFunction;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.local.testing.TestStack;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The API's own e-mail locally: the production mail port ({@code core.mail.Mailer} on SES v2 through the real SDK),
 * built from the environment the stack gives a function, sends to the local SES endpoint, and the message is in
 * the outbox with its kind and code.
 */
class MailIT {
    private final DevStack stack = TestStack.get();
    private final OutboxClient outbox = TestStack.outbox();

    private Map<String, String> functionEnvironment() {
        LambdaFunction function = stack.functions().stream().filter(f -> f.id().equals("GetMeFunction")).findFirst().orElseThrow();
        return function.environment();
    }

    @Test
    void everyFunction_isPointedAtTheLocalSesEndpoint_withASender() {
        for (LambdaFunction function : stack.functions()) {
            assertThat(function.environment()).as(function.id())
                    .containsEntry("SES_ENDPOINT", stack.sesEndpoint().toString())
                    .containsEntry("MAIL_FROM", FunctionEnvironment.LOCAL_SENDER);
        }
    }

    @Test
    void aMessageSentThroughTheSesPort_landsInTheOutbox() {
        Map<String, String> env = functionEnvironment();
        Mailer mailer = Mailer.from(MailConfig.from(env), AppConfig.from(env));
        String to = "invitee-" + UUID.randomUUID() + "@example.com";

        mailer.send(to, MailKind.ORG_INVITATION, "Join Acme", "You are invited to Acme.", "inv-4821");
        mailer.send(to.toUpperCase(java.util.Locale.ROOT), MailKind.EMAIL_CHANGE_NOTICE, "Your e-mail changed", "It changed.");

        List<OutboxClient.Message> messages = outbox.messages(to);
        assertThat(messages).hasSize(2);
        OutboxClient.Message notice = messages.get(0);
        assertThat(notice.kind()).isEqualTo("EMAIL_CHANGE_NOTICE");
        assertThat(notice.text()).contains("Your e-mail changed", "It changed.");
        OutboxClient.Message invitation = messages.get(1);
        assertThat(invitation.email()).isEqualTo(to);
        assertThat(invitation.kind()).isEqualTo("ORG_INVITATION");
        assertThat(invitation.code()).isEqualTo("inv-4821");
        assertThat(invitation.text()).contains("Join Acme", "You are invited to Acme.");
    }
}
