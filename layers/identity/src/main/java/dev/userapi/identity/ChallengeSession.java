package dev.userapi.identity;

import dev.userapi.core.problem.InvalidCredentialsException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The session a password sign-in's challenge (TOTP, new password) hands the client: Cognito's session with the
 * account's Cognito username in front of it. Cognito wants the answer's {@code USERNAME} — and the
 * {@code SECRET_HASH} computed over it — to be the user's actual username, never the e-mail the user signs in
 * with, and names it in the challenge's {@code USER_ID_FOR_SRP}; in this pool (e-mail as the username attribute)
 * that is the {@code sub}. Not sealed: the username is no secret and Cognito binds its session to its user, so a
 * client that changes it only gets its answer refused.
 *
 * <p>Form: {@code u1.<base64url(username)>.<Cognito's session>}. A session without the prefix (one Cognito handed
 * out before this form) is answered with the e-mail as before.
 */
final class ChallengeSession {
    private static final String PREFIX = "u1.";
    /** Cognito's usernames are at most 128 characters. */
    private static final int MAX_USERNAME = 128;

    /** A session taken apart: the username to answer with, and Cognito's own session. */
    record Parts(String username, String cognitoSession) {
    }

    private ChallengeSession() {
    }

    /** The client's session for Cognito's {@code session} of the user {@code username} (Cognito's as is when unknown). */
    static String wrap(Optional<String> username, String cognitoSession) {
        if (cognitoSession == null || username.isEmpty() || username.get().isEmpty() || username.get().length() > MAX_USERNAME) {
            return cognitoSession;
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(username.get().getBytes(StandardCharsets.UTF_8))
                + "." + cognitoSession;
    }

    /**
     * The username and Cognito's session in a client's session; {@code email} for a session without a username.
     * A malformed prefix is refused as a session Cognito does not know is (401).
     */
    static Parts unwrap(String session, String email) {
        if (!session.startsWith(PREFIX)) {
            return new Parts(email, session);
        }
        int dot = session.indexOf('.', PREFIX.length());
        if (dot < 0 || dot == session.length() - 1) {
            throw new InvalidCredentialsException("The session is not valid; sign in again.");
        }
        String encoded = session.substring(PREFIX.length(), dot);
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialsException("The session is not valid; sign in again.");
        }
        String username = new String(decoded, StandardCharsets.UTF_8);
        if (username.isEmpty() || username.length() > MAX_USERNAME || username.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidCredentialsException("The session is not valid; sign in again.");
        }
        return new Parts(username, session.substring(dot + 1));
    }
}
