package dev.userapi.e2e.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the API answered: status, headers (case-insensitive lookup), body. */
public record ApiResponse(int status, Map<String, List<String>> headers, String body) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The body as JSON (fails the test if it is not JSON). */
    public JsonNode json() {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("The body is not JSON: " + body, e);
        }
    }

    public Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).flatMap(e -> e.getValue().stream())
                .findFirst();
    }

    public String contentType() {
        return header("Content-Type").orElse("");
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
