package dev.userapi.identity;

/** Tokens as the API returns them ({@code tokenType} is always {@code Bearer}). */
public record AuthTokens(String accessToken, String idToken, String refreshToken, int expiresIn) {
    public String tokenType() {
        return "Bearer";
    }

    /** The same tokens without the refresh token (what {@code /auth/refresh} returns). */
    public AuthTokens withoutRefreshToken() {
        return new AuthTokens(accessToken, idToken, null, expiresIn);
    }
}
