package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of cognito-local's own data file for the pool ({@code .cognito/db/<poolId>.json}),
 * for what its API does not return: the confirmation code it just generated (to put it in the
 * outbox), a user's stored refresh tokens (to revoke them all). The compatibility layer never
 * writes this file; every change goes through cognito-local's API.
 */
final class CognitoLocalStore {
    /** A user as cognito-local stores it. */
    record StoredUser(String username, String sub, String email, String status, boolean enabled, Optional<String> confirmationCode,
                      List<String> refreshTokens) {
    }

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper();

    CognitoLocalStore(Path cognitoWorkDir, String poolId) {
        this.file = cognitoWorkDir.resolve(".cognito").resolve("db").resolve(poolId + ".json");
    }

    /** Finds a user the way cognito-local does: by username, by {@code sub}, or by e-mail. */
    Optional<StoredUser> find(String username) {
        JsonNode users = read().path("Users");
        JsonNode direct = users.get(username);
        if (direct != null) {
            return Optional.of(user(direct));
        }
        for (JsonNode user : users) {
            StoredUser candidate = user(user);
            if (username.equals(candidate.sub()) || username.equals(candidate.email())) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * What passwordless sign-in needs of a user that the API does not return: the password cognito-local keeps (in
     * clear: it is a test double) so the layer can have it issue a password sign-in's tokens, and whether TOTP is on.
     */
    record Credentials(Optional<String> password, boolean totp) {
    }

    Optional<Credentials> credentials(String username) {
        for (JsonNode user : read().path("Users")) {
            StoredUser candidate = user(user);
            if (username.equals(candidate.username()) || username.equals(candidate.sub()) || username.equals(candidate.email())) {
                boolean totp = false;
                for (JsonNode mfa : user.path("UserMFASettingList")) {
                    totp |= "SOFTWARE_TOKEN_MFA".equals(mfa.asText());
                }
                JsonNode password = user.get("Password");
                return Optional.of(new Credentials(password == null || password.isNull() ? Optional.empty()
                        : Optional.of(password.asText()), totp));
            }
        }
        return Optional.empty();
    }

    /** The user cognito-local stored {@code refreshToken} for. */
    Optional<StoredUser> findByRefreshToken(String refreshToken) {
        for (JsonNode user : read().path("Users")) {
            for (JsonNode token : user.path("RefreshTokens")) {
                if (token.asText().equals(refreshToken)) {
                    return Optional.of(user(user));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Reads until the user exists and {@code ready} holds, for at most {@code timeout}; returns what
     * was found last. cognito-local answers before its file is written, and two saves at once can
     * finish in either order, leaving an older snapshot on disk until its next save: under concurrent
     * sign-ups a read right after a change may not see it yet.
     */
    Optional<StoredUser> await(String username, java.util.function.Predicate<StoredUser> ready, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<StoredUser> found = find(username);
        while ((found.isEmpty() || !ready.test(found.get())) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = find(username);
        }
        return found;
    }

    private static StoredUser user(JsonNode node) {
        String sub = null;
        String email = null;
        for (JsonNode attribute : node.path("Attributes")) {
            String name = attribute.path("Name").asText();
            if (name.equals("sub")) {
                sub = attribute.path("Value").asText();
            } else if (name.equals("email")) {
                email = attribute.path("Value").asText();
            }
        }
        List<String> tokens = new ArrayList<>();
        node.path("RefreshTokens").forEach(t -> tokens.add(t.asText()));
        JsonNode code = node.get("ConfirmationCode");
        return new StoredUser(node.path("Username").asText(), sub, email, node.path("UserStatus").asText(),
                node.path("Enabled").asBoolean(true), code == null || code.isNull() ? Optional.empty() : Optional.of(code.asText()),
                tokens);
    }

    /** cognito-local rewrites the file on every change; a read that catches it half-written is retried. */
    private JsonNode read() {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                return mapper.readTree(Files.readAllBytes(file));
            } catch (NoSuchFileException e) {
                return mapper.createObjectNode();
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(25);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IllegalStateException("Cannot read cognito-local's data file " + file + ": " + last);
    }
}
