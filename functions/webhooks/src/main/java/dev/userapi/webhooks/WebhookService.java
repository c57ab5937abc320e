package dev.userapi.webhooks;

import dev.userapi.core.http.Caller;
import dev.userapi.core.http.PageLimit;
import dev.userapi.core.problem.ConflictException;
import dev.userapi.core.problem.InvalidRequestException;
import dev.userapi.core.problem.NotFoundException;
import dev.userapi.core.user.AuditEntry;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.core.user.Page;
import dev.userapi.webhooks.delivery.AddressGuard;
import dev.userapi.webhooks.delivery.Attempt;
import dev.userapi.webhooks.delivery.AttemptMessage;
import dev.userapi.webhooks.delivery.Delivery;
import dev.userapi.webhooks.delivery.DeliveryQueue;
import dev.userapi.webhooks.delivery.SecretCipher;
import dev.userapi.webhooks.delivery.Signer;
import dev.userapi.webhooks.delivery.Webhook;
import dev.userapi.webhooks.delivery.WebhookRepository;
import dev.userapi.webhooks.events.EventTypes;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code /webhooks} routes' rules: registration (URL checked, secret made, encrypted and shown once), listing,
 * deletion, deliveries, replay. Every write (registration, deletion, replay) appends an entry to the webhook's audit
 * trail ({@code AUDIT#WEBHOOK#<id>}, as administrators' other writes do): who, what, which webhook — never its secret,
 * ciphertext or full URL (a receiver's URL may carry a credential of its own), only the URL's host.
 */
public final class WebhookService {
    public static final int DEFAULT_LIMIT = PageLimit.DEFAULT;
    public static final int MAX_LIMIT = PageLimit.MAX;
    static final Pattern WEBHOOK_ID = Pattern.compile("wh_[0-9a-f]{24}");
    static final Pattern DELIVERY_ID = Pattern.compile("dlv_[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookRepository repository;
    private final AddressGuard guard;
    private final Supplier<SecretCipher> cipher;
    private final Supplier<DeliveryQueue> queue;
    private final AuditRepository audit;
    private final Clock clock;

    public WebhookService(WebhookRepository repository, AddressGuard guard, Supplier<SecretCipher> cipher, Supplier<DeliveryQueue> queue,
                          AuditRepository audit, Clock clock) {
        this.repository = repository;
        this.audit = audit;
        this.guard = guard;
        this.cipher = cipher;
        this.queue = queue;
        this.clock = clock;
    }

    /** What registration returns: the webhook and, this once, its secret. */
    public record Registered(Webhook webhook, String secret) {
    }

    /** The audit trail's target for a webhook: its entries are under {@code AUDIT#WEBHOOK#<id>}. */
    public static String auditTarget(String webhookId) {
        return "WEBHOOK#" + webhookId;
    }

    public Registered register(Caller actor, String url, List<String> events, Optional<String> description) {
        if (events.isEmpty()) {
            throw new InvalidRequestException("Field 'events' must name at least one event type.");
        }
        for (String type : events) {
            if (!EventTypes.ALL.contains(type)) {
                throw new InvalidRequestException("Field 'events' holds an unknown event type.");
            }
        }
        try {
            guard.check(url);
        } catch (AddressGuard.Refused e) {
            throw new InvalidRequestException(e.getMessage());
        }
        String id = "wh_" + HexFormat.of().formatHex(random(12));
        String secret = Signer.newSecret();
        Webhook webhook = new Webhook(id, url, events, description, clock.instant(), cipher.get().encrypt(id, secret));
        if (!repository.putWebhook(webhook)) {
            throw new ConflictException("At most " + WebhookRepository.MAX_WEBHOOKS + " webhooks can be registered.");
        }
        record(actor, "webhook.create", id, Map.of("host", URI.create(url).getHost(), "events", List.copyOf(events)));
        return new Registered(webhook, secret);
    }

    public List<Webhook> list() {
        return repository.listWebhooks();
    }

    public void delete(Caller actor, String id) {
        if (!WEBHOOK_ID.matcher(id).matches() || !repository.deleteWebhook(id)) {
            throw new NotFoundException("No such webhook.");
        }
        record(actor, "webhook.delete", id, Map.of());
    }

    public Page<Attempt> deliveries(String id, Map<String, String> query) {
        for (String name : query.keySet()) {
            if (!List.of("limit", "cursor").contains(name)) {
                throw new InvalidRequestException("Unknown query parameter '" + (name.length() > 40 ? name.substring(0, 40) : name) + "'.");
            }
        }
        int limit = limit(query.get("limit"));
        WebhookRepository.attemptsStart(id, Optional.ofNullable(query.get("cursor"))); // a bad cursor is 400 first
        webhook(id);
        return repository.attempts(id, limit, Optional.ofNullable(query.get("cursor")));
    }

    /** Queues one more attempt of a delivery now, whatever its state (202). */
    public void retry(Caller actor, String id, String deliveryId) {
        webhook(id);
        if (!DELIVERY_ID.matcher(deliveryId).matches()) {
            throw new NotFoundException("No such delivery.");
        }
        Delivery delivery = repository.findDelivery(id, deliveryId).orElseThrow(() -> new NotFoundException("No such delivery."));
        queue.get().sendAttempt(new AttemptMessage(id, delivery.id(), delivery.attempts() + 1, true), Duration.ZERO);
        record(actor, "webhook.retry", id, Map.of("deliveryId", delivery.id(), "eventId", delivery.eventId(), "attempt", delivery.attempts() + 1));
    }

    private void record(Caller actor, String action, String webhookId, Map<String, Object> details) {
        audit.append(new AuditEntry(clock.instant(), actor.sub(), action, auditTarget(webhookId), details));
    }

    private Webhook webhook(String id) {
        if (!WEBHOOK_ID.matcher(id).matches()) {
            throw new NotFoundException("No such webhook.");
        }
        return repository.findWebhook(id).orElseThrow(() -> new NotFoundException("No such webhook."));
    }

    static int limit(String value) {
        return PageLimit.parse(value);
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
