package dev.userapi.local.events;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.userapi.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An SQS standard queue, as far as the webhook delivery relies on it: {@code SendMessage} with {@code DelaySeconds},
 * a receive that hides the messages it hands out for the visibility timeout, delete, and the redrive policy (a
 * message received more than {@code maxReceiveCount} times goes to the dead-letter queue instead). Time comes from
 * the clock it is given, so tests move it by hand. With a file, every change is written to it and read back at the
 * next start: a restart of a stack with persistent data loses no pending message.
 */
public final class LocalQueue {
    /** One message; {@code visibleAt} is epoch ms. */
    public record Message(String id, String body, long sentAt, long visibleAt, int receiveCount) {
    }

    private final String name;
    private final String arn;
    private final String url;
    private final Duration visibilityTimeout;
    private final Clock clock;
    private final Optional<Path> store;
    private final List<Message> messages = new ArrayList<>();
    private LocalQueue deadLetter;
    private int maxReceiveCount = Integer.MAX_VALUE;

    public LocalQueue(String name, String arn, String url, Duration visibilityTimeout, Clock clock, Optional<Path> store) {
        this.name = name;
        this.arn = arn;
        this.url = url;
        this.visibilityTimeout = visibilityTimeout;
        this.clock = clock;
        this.store = store;
        store.filter(Files::exists).ifPresent(this::load);
    }

    public String name() {
        return name;
    }

    public String arn() {
        return arn;
    }

    public String url() {
        return url;
    }

    /** The redrive policy: after {@code maxReceiveCount} receives, a message goes to {@code target}. */
    public synchronized void redrive(LocalQueue target, int maxReceives) {
        this.deadLetter = target;
        this.maxReceiveCount = maxReceives;
    }

    public synchronized String send(String body, Duration delay) {
        long now = clock.millis();
        String id = UUID.randomUUID().toString();
        messages.add(new Message(id, body, now, now + Math.max(0, delay.toMillis()), 0));
        save();
        notifyAll();
        return id;
    }

    /** Up to {@code max} visible messages, now hidden for the visibility timeout; over-received ones are moved to the dead-letter queue. */
    public synchronized List<Message> receive(int max) {
        long now = clock.millis();
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < messages.size() && out.size() < max; i++) {
            Message m = messages.get(i);
            if (m.visibleAt() > now) {
                continue;
            }
            if (deadLetter != null && m.receiveCount() >= maxReceiveCount) {
                messages.remove(i--);
                deadLetter.send(m.body(), Duration.ZERO);
                continue;
            }
            Message received = new Message(m.id(), m.body(), m.sentAt(), now + visibilityTimeout.toMillis(), m.receiveCount() + 1);
            messages.set(i, received);
            out.add(received);
        }
        if (!out.isEmpty() || deadLetter != null) {
            save();
        }
        return out;
    }

    public synchronized void delete(String id) {
        if (messages.removeIf(m -> m.id().equals(id))) {
            save();
        }
    }

    /** When the next message becomes visible (epoch ms), if there is one. */
    public synchronized Optional<Long> nextVisibleAt() {
        return messages.stream().map(Message::visibleAt).min(Long::compare);
    }

    /** Waits until a message may be visible or {@code max} passed (wakes early on a send). */
    public synchronized void awaitWork(Duration max) throws InterruptedException {
        long wait = nextVisibleAt().map(at -> at - clock.millis()).orElse(max.toMillis());
        if (wait > 0) {
            wait(Math.min(wait, max.toMillis()));
        }
    }

    public synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    private void save() {
        if (store.isEmpty()) {
            return;
        }
        try {
            Path file = store.get();
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.write(messages), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("[local] cannot save queue " + name + ": " + e.getMessage());
        }
    }

    private void load(Path file) {
        try {
            List<Map<String, Object>> saved = Json.mapper().readValue(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeReference<List<Map<String, Object>>>() { });
            for (Map<String, Object> m : saved) {
                Map<String, Object> copy = new LinkedHashMap<>(m);
                messages.add(new Message(String.valueOf(copy.get("id")), String.valueOf(copy.get("body")),
                        ((Number) copy.get("sentAt")).longValue(), ((Number) copy.get("visibleAt")).longValue(),
                        ((Number) copy.get("receiveCount")).intValue()));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("[local] cannot read queue " + name + " from " + file + ": " + e.getMessage());
        }
    }
}
