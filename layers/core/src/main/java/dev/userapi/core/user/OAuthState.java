package dev.userapi.core.user;

import java.time.Instant;

/**
 * A hosted-UI sign-in in progress: what the callback needs to finish it. Keyed by the random
 * {@code state}; {@code bindingHash} is the SHA-256 of the random value in the browser's HttpOnly
 * cookie, so only the browser that started the sign-in can finish it. {@code clientState} is the
 * value the client gave when it started (empty when it gave none), handed back to it unchanged with
 * the tokens, so the client can tell a sign-in it started from one it did not.
 */
public record OAuthState(String state, String nonce, String codeVerifier, String redirect, String bindingHash, String clientState,
                         Instant expiresAt) {
}
