package dev.userapi.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.userapi.core.http.Caller;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.user.AuditEntry;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.webhooks.delivery.AddressGuard;
import dev.userapi.webhooks.delivery.AttemptMessage;
import dev.userapi.webhooks.delivery.Delivery;
import dev.userapi.webhooks.delivery.DeliveryQueue;
import dev.userapi.webhooks.delivery.SecretCipher;
import dev.userapi.webhooks.delivery.Webhook;
import dev.userapi.webhooks.delivery.WebhookRepository;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The routes' writes are audited like administrators' other writes, without the secret. */
class WebhookServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Caller ADMIN = new Caller("admin-sub", "admin-sub", Set.of("admin", "user"), NOW.getEpochSecond());
    private static final String WEBHOOK = "wh_0123456789abcdef01234567";
    private static final String DELIVERY = "dlv_0123456789abcdef0123456789abcdef";

    private final WebhookRepository repository = mock(WebhookRepository.class);
    private final SecretCipher cipher = mock(SecretCipher.class);
    private final DeliveryQueue queue = mock(DeliveryQueue.class);
    private final AuditRepository audit = mock(AuditRepository.class);
    private final WebhookService service = new WebhookService(repository,
            new AddressGuard(false, host -> new InetAddress[] {InetAddress.getByName("93.184.215.14")}), () -> cipher, () -> queue, audit,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private AuditEntry audited() {
        ArgumentCaptor<AuditEntry> entry = ArgumentCaptor.forClass(AuditEntry.class);
        verify(audit).append(entry.capture());
        return entry.getValue();
    }

    @Test
    void register_isAudited_withTheHostAndEvents_neverTheSecretCiphertextOrFullUrl() {
        when(cipher.encrypt(any(), any())).thenReturn("CIPHERTEXT");
        when(repository.putWebhook(any())).thenReturn(true);
        var registered = service.register(ADMIN, "https://hooks.example.com/in/T000/B000/XXXXSECRETPATH?key=abc", List.of("user.created"),
                Optional.empty());
        AuditEntry entry = audited();
        assertThat(entry.actor()).isEqualTo("admin-sub");
        assertThat(entry.action()).isEqualTo("webhook.create");
        assertThat(entry.target()).isEqualTo("WEBHOOK#" + registered.webhook().id());
        assertThat(entry.at()).isEqualTo(NOW);
        assertThat(entry.details()).containsOnly(Map.entry("host", "hooks.example.com"), Map.entry("events", List.of("user.created")));
        assertThat(entry.toString()).doesNotContain(registered.secret()).doesNotContain("CIPHERTEXT").doesNotContain("XXXXSECRETPATH")
                .doesNotContain("key=abc");
    }

    @Test
    void delete_isAudited_andNotWhenThereWasNone() {
        when(repository.deleteWebhook(WEBHOOK)).thenReturn(true);
        service.delete(ADMIN, WEBHOOK);
        AuditEntry entry = audited();
        assertThat(entry.action()).isEqualTo("webhook.delete");
        assertThat(entry.target()).isEqualTo("WEBHOOK#" + WEBHOOK);

        String other = "wh_ffffffffffffffffffffffff";
        assertThatThrownBy(() -> service.delete(ADMIN, other)).isInstanceOf(NotFoundException.class);
        verify(audit).append(any()); // still only the first
    }

    @Test
    void retry_isAudited_withTheDeliveryAndTheAttemptItQueues() {
        when(repository.findWebhook(WEBHOOK)).thenReturn(Optional.of(new Webhook(WEBHOOK, "https://hooks.example.com/in", List.of("user.created"),
                Optional.empty(), NOW, "CIPHERTEXT")));
        when(repository.findDelivery(WEBHOOK, DELIVERY)).thenReturn(Optional.of(new Delivery(WEBHOOK, DELIVERY, "evt_1", "user.created", "{}",
                Delivery.DEAD, 3)));
        service.retry(ADMIN, WEBHOOK, DELIVERY);
        verify(queue).sendAttempt(new AttemptMessage(WEBHOOK, DELIVERY, 4, true), Duration.ZERO);
        AuditEntry entry = audited();
        assertThat(entry.action()).isEqualTo("webhook.retry");
        assertThat(entry.target()).isEqualTo("WEBHOOK#" + WEBHOOK);
        assertThat(entry.details()).containsOnly(Map.entry("deliveryId", DELIVERY), Map.entry("eventId", "evt_1"), Map.entry("attempt", 4));
        assertThat(entry.toString()).doesNotContain("CIPHERTEXT");
    }

    @Test
    void aRefusedRegistration_isNotAudited() {
        assertThatThrownBy(() -> service.register(ADMIN, "http://hooks.example.com/in", List.of("user.created"), Optional.empty()))
                .isInstanceOf(dev.userapi.core.problem.InvalidRequestException.class);
        verify(audit, never()).append(any());
    }
}
