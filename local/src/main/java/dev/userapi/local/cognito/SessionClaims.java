package dev.userapi.local.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Gives the tokens cognito-local issued the session claims Cognito puts in them: {@code origin_jti}
 * (one per refresh token, the same after every refresh), {@code auth_time} of the original
 * authentication (cognito-local resets it on refresh), and the scopes the session was granted.
 */
final class SessionClaims {
    private final TokenLedger ledger;
    private final TokenSigner signer;
    private final AccessTokens tokens;

    SessionClaims(TokenLedger ledger, TokenSigner signer, AccessTokens tokens) {
        this.ledger = ledger;
        this.signer = signer;
        this.tokens = tokens;
    }

    /**
     * The session of tokens just issued: the one of {@code refreshTokenUsed} for a refresh, else a
     * new one for {@code issuedRefreshToken} (starting now, with {@code scope}); null when there is no refresh token.
     */
    TokenLedger.Session sessionFor(String accessToken, String refreshTokenUsed, String issuedRefreshToken, String scope) {
        long authTime = tokens.claimsOf(accessToken).path("auth_time").asLong(tokens.claimsOf(accessToken).path("iat").asLong());
        if (refreshTokenUsed != null) {
            return ledger.session(refreshTokenUsed).orElseGet(() -> ledger.startSession(refreshTokenUsed, authTime, scope));
        }
        return issuedRefreshToken == null ? null : ledger.startSession(issuedRefreshToken, authTime, scope);
    }

    String access(String token, TokenLedger.Session session) {
        return signer.rewrite(token, claims -> {
            apply(claims, session);
            if (session.scope() != null) {
                claims.put("scope", session.scope());
            }
        });
    }

    String id(String token, TokenLedger.Session session) {
        return signer.rewrite(token, claims -> apply(claims, session));
    }

    /** An {@code AuthenticationResult} with both tokens rewritten for the session. */
    ObjectNode result(JsonNode result, TokenLedger.Session session) {
        ObjectNode copy = ((ObjectNode) result).deepCopy();
        if (result.hasNonNull("AccessToken")) {
            copy.put("AccessToken", access(result.path("AccessToken").asText(), session));
        }
        if (result.hasNonNull("IdToken")) {
            copy.put("IdToken", id(result.path("IdToken").asText(), session));
        }
        return copy;
    }

    private static void apply(ObjectNode claims, TokenLedger.Session session) {
        claims.put("origin_jti", session.originJti());
        claims.put("auth_time", session.authTime());
    }
}
