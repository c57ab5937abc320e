package dev.userapi.e2e.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;

/** Reads a token's claims (no verification: for asserting what the stack issued). */
public final class Jwt {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Jwt() {
    }

    public static JsonNode claims(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            throw new AssertionError("Not a JWT: " + token);
        }
        try {
            return MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new AssertionError("The payload is not JSON", e);
        }
    }
}
