package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.core.json.Json;
import dev.userapi.local.outbox.Outbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * E-mail one-time codes (issue 18 item 2), which cognito-local lacks: {@code USER_AUTH} with
 * {@code PREFERRED_CHALLENGE=EMAIL_OTP} e-mails an eight-digit code (to the local outbox, kind {@code EMAIL_OTP}) and
 * answers the {@code EMAIL_OTP} challenge; {@code RespondToAuthChallenge} with {@code EMAIL_OTP_CODE} checks it. As
 * on Cognito: the code belongs to its session and lives three minutes (the client's {@code AuthSessionValidity}); a
 * wrong code is {@code CodeMismatchException} and the session survives three wrong codes, then ends; an account with
 * TOTP on is not offered the code (MFA and passwordless do not mix: {@code SELECT_CHALLENGE}), nor is a disabled one.
 * The tokens come out as a password sign-in's ({@link WebAuthnBridge.Issuer}).
 */
final class EmailOtpBridge {
    static final Duration LIFETIME = Duration.ofMinutes(3);
    static final int TRIES = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Pending(String sub, String code, long until, int wrong) {
    }

    private final CognitoLocalStore store;
    private final Outbox outbox;
    private final Clock clock;
    private final Map<String, Pending> sessions = new ConcurrentHashMap<>();

    EmailOtpBridge(CognitoLocalStore store, Outbox outbox, Clock clock) {
        this.store = store;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** {@code USER_AUTH} asking for {@code EMAIL_OTP}. */
    JsonNode initiate(ObjectNode request) throws CognitoError {
        String username = request.path("AuthParameters").path("USERNAME").asText("");
        CognitoLocalStore.StoredUser user = store.find(username).orElseThrow(
                () -> CognitoError.notAuthorized("Incorrect username or password."));
        if (!user.enabled()) {
            throw CognitoError.notAuthorized("User is disabled.");
        }
        boolean totp = store.credentials(user.username()).map(CognitoLocalStore.Credentials::totp).orElse(false);
        String session = session();
        ObjectNode reply = Json.mapper().createObjectNode();
        reply.put("Session", session);
        if (totp || user.email() == null || !"CONFIRMED".equals(user.status())) {
            reply.put("ChallengeName", "SELECT_CHALLENGE");
            reply.putObject("ChallengeParameters");
            reply.putArray("AvailableChallenges").add("PASSWORD");
            return reply;
        }
        String code = String.format("%08d", RANDOM.nextInt(100_000_000));
        sessions.put(session, new Pending(user.sub(), code, clock.millis() + LIFETIME.toMillis(), 0));
        outbox.deliver(user.email(), "EMAIL_OTP", code, "Your sign-in code is " + code);
        reply.put("ChallengeName", "EMAIL_OTP");
        reply.putObject("ChallengeParameters").put("CODE_DELIVERY_DELIVERY_MEDIUM", "EMAIL")
                .put("CODE_DELIVERY_DESTINATION", mask(user.email())).put("USERNAME", user.username());
        return reply;
    }

    /** {@code RespondToAuthChallenge} with {@code EMAIL_OTP}. */
    JsonNode respond(ObjectNode request, WebAuthnBridge.Issuer issuer) throws CognitoError {
        String session = request.path("Session").asText("");
        Pending pending = sessions.get(session);
        if (pending == null || pending.until() < clock.millis()) {
            sessions.remove(session);
            throw CognitoError.notAuthorized("Invalid session for the user, session is expired.");
        }
        JsonNode responses = request.path("ChallengeResponses");
        CognitoLocalStore.StoredUser user = store.find(responses.path("USERNAME").asText(""))
                .filter(u -> u.sub().equals(pending.sub()))
                .orElseThrow(() -> CognitoError.notAuthorized("Incorrect username or password."));
        String code = responses.path("EMAIL_OTP_CODE").asText("");
        if (!MessageDigest.isEqual(code.getBytes(StandardCharsets.UTF_8), pending.code().getBytes(StandardCharsets.UTF_8))) {
            if (pending.wrong() + 1 >= TRIES) {
                sessions.remove(session, pending);
            } else {
                sessions.replace(session, pending, new Pending(pending.sub(), pending.code(), pending.until(), pending.wrong() + 1));
            }
            throw new CognitoError("CodeMismatchException", "Invalid code received for user");
        }
        if (!sessions.remove(session, pending)) {
            throw CognitoError.notAuthorized("Invalid session for the user, session is expired.");
        }
        return issuer.issue(user);
    }

    private static String session() {
        byte[] bytes = new byte[48];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String mask(String email) {
        int at = email.indexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }
}
