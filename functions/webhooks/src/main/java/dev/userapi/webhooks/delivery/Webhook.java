package dev.userapi.webhooks.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A registered webhook; {@code secretCiphertext} is the secret encrypted by {@link SecretCipher}, never shown again. */
public record Webhook(String id, String url, List<String> events, Optional<String> description, Instant createdAt, String secretCiphertext) {
    public Webhook {
        events = List.copyOf(events);
    }

    public boolean subscribes(String type) {
        return events.contains(type);
    }
}
