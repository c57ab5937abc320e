package dev.userapi.local.testing;

/** What a successful login returns. */
public record Tokens(String accessToken, String idToken, String refreshToken, int expiresIn) {
}
