package dev.userapi.e2e.client;

/** What a successful login returns. */
public record Tokens(String accessToken, String idToken, String refreshToken, int expiresIn) {
}
