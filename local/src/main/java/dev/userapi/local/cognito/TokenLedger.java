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

    void revokeRefreshToken(String refreshToken) {
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
