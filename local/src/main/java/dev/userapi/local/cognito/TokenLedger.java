package dev.userapi.local.cognito;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which access tokens the compatibility layer saw Cognito issue, to whom, and from which refresh
 * token, so that revocations reach the access tokens as they do on AWS: {@code RevokeToken} of a
 * refresh token ends the access tokens issued with it, {@code GlobalSignOut},
 * {@code AdminUserGlobalSignOut} and {@code AdminDisableUser} end all of the user's. (cognito-local
 * keeps accepting an access token until it expires.) Kept in memory: tokens issued before a restart
 * are not known.
 */
final class TokenLedger {
    /**
     * One authentication and the refresh token it issued: Cognito's {@code origin_jti} (the same in
     * every access and ID token issued with that refresh token), the time of the authentication
     * ({@code auth_time} stays that time across refreshes), and the scopes granted (the hosted UI's
     * requested scopes; null for the API's sign-in, whose tokens carry what cognito-local gives).
     */
    record Session(String originJti, long authTime, String scope) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Set<String> revokedOrigins = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> byRefreshToken = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> bySub = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    /** Records an access token ({@code jti}) issued to {@code sub}, with or for {@code refreshToken} (may be null). */
    void issued(String sub, String accessJti, String refreshToken) {
        bySub.computeIfAbsent(sub, k -> ConcurrentHashMap.newKeySet()).add(accessJti);
        if (refreshToken != null) {
            byRefreshToken.computeIfAbsent(refreshToken, k -> ConcurrentHashMap.newKeySet()).add(accessJti);
        }
    }

    /** Starts the session of a new refresh token. */
    Session startSession(String refreshToken, long authTime, String scope) {
        Session session = new Session(java.util.UUID.randomUUID().toString(), authTime, scope);
        sessions.put(refreshToken, session);
        return session;
    }

    /** The session a refresh token belongs to (none for one issued before a restart). */
    java.util.Optional<Session> session(String refreshToken) {
        return java.util.Optional.ofNullable(sessions.get(refreshToken));
    }

    boolean isRevokedOrigin(String originJti) {
        return originJti != null && revokedOrigins.contains(originJti);
    }

    void revokeRefreshToken(String refreshToken) {
        Session session = sessions.get(refreshToken);
        if (session != null) {
            revokedOrigins.add(session.originJti());
        }
        Set<String> jtis = byRefreshToken.remove(refreshToken);
        if (jtis != null) {
            revoked.addAll(jtis);
        }
    }

    void revokeUser(String sub) {
        Set<String> jtis = bySub.get(sub);
        if (jtis != null) {
            revoked.addAll(jtis);
        }
    }

    boolean isRevoked(String accessJti) {
        return revoked.contains(accessJti);
    }
}
