package dev.userapi.identity;

/** What a sign-in step yields: tokens, or the next challenge with its session. */
public sealed interface AuthOutcome {
    record Tokens(AuthTokens tokens) implements AuthOutcome {
    }

    record Challenge(String name, String session) implements AuthOutcome {
    }
}
