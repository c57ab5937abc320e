package dev.userapi.e2e.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the local outbox ({@code GET /_local/outbox?email=}) over HTTP: the codes Cognito would have e-mailed. */
public final class OutboxClient {
    /** One message, newest first in {@link #messages}. */
    public record Message(String at, String email, String kind, String code, String text) {
    }

    private final ApiClient api;

    public OutboxClient(ApiClient api) {
        this.api = api;
    }

    public List<Message> messages(String email) {
        ApiResponse response = api.get("/_local/outbox?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)).send();
        if (response.status() != 200) {
            throw new AssertionError("The outbox answered " + response);
        }
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : response.json().path("messages")) {
            messages.add(new Message(m.path("at").asText(), m.path("email").asText(), m.path("kind").asText(),
                    m.path("code").asText(), m.path("text").asText()));
        }
        return messages;
    }

    /** The newest code of one of {@code kinds} sent to {@code email}; fails the test if there is none. */
    public String latestCode(String email, String... kinds) {
        Set<String> wanted = Set.of(kinds);
        return messages(email).stream().filter(m -> wanted.isEmpty() || wanted.contains(m.kind())).findFirst()
                .map(Message::code)
                .orElseThrow(() -> new AssertionError("No " + wanted + " message to " + email + " in the outbox"));
    }

    /** The newest sign-up or resend code. */
    public String confirmationCode(String email) {
        return latestCode(email, "SIGN_UP", "RESEND_CODE");
    }
}
