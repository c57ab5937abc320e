package dev.userapi.local.outbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The local stand-in for the user's mailbox: every message Cognito would e-mail (codes, temporary
 * passwords) is kept here, printed on the console, and readable at
 * {@code GET /_local/outbox?email=<address>} so developers and end-to-end tests can complete flows
 * that need a code. Only the local stack has it; nothing in production writes or reads it.
 */
public final class Outbox {
    private static final int CAPACITY = 5000;

    private final Deque<OutboxMessage> messages = new ArrayDeque<>();
    private final Clock clock;

    public Outbox(Clock clock) {
        this.clock = clock;
    }

    public void deliver(String email, String kind, String code, String text) {
        OutboxMessage message = new OutboxMessage(clock.instant(), email.toLowerCase(Locale.ROOT), kind, code, text);
        synchronized (messages) {
            messages.addFirst(message);
            if (messages.size() > CAPACITY) {
                messages.removeLast();
            }
        }
        System.err.printf("[outbox] %s to %s: %s%n", kind, message.email(), text);
    }

    /** Newest first; only those to {@code email} (case-insensitive) when given. */
    public List<OutboxMessage> messages(Optional<String> email) {
        Optional<String> wanted = email.map(e -> e.trim().toLowerCase(Locale.ROOT));
        List<OutboxMessage> result = new ArrayList<>();
        synchronized (messages) {
            for (Iterator<OutboxMessage> it = messages.iterator(); it.hasNext(); ) {
                OutboxMessage message = it.next();
                if (wanted.isEmpty() || wanted.get().equals(message.email())) {
                    result.add(message);
                }
            }
        }
        return result;
    }

    /** {@code {"messages":[{"at","email","kind","code","text"}]}}, newest first. */
    public String toJson(Optional<String> email) {
        ObjectNode root = Json.mapper().createObjectNode();
        ArrayNode list = root.putArray("messages");
        for (OutboxMessage m : messages(email)) {
            list.addObject().put("at", m.at().toString()).put("email", m.email()).put("kind", m.kind())
                    .put("code", m.code()).put("text", m.text());
        }
        return Json.write(root);
    }
}
