package dev.userapi.core.user;

import java.time.Instant;

/**
 * A hosted-UI sign-in in progress: what the callback needs to finish it. Keyed by the random
 * {@code state}; {@code bindingHash} is the SHA-256 of the random value in the browser's HttpOnly
 * cookie, so only the browser that started the sign-in can finish it.
 */
public record OAuthState(String state, String nonce, String codeVerifier, String redirect, String bindingHash, Instant expiresAt) {
}
