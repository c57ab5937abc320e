package dev.userapi.local.testing;

import dev.userapi.local.StackOptions;

/** The seeded administrator (bootstrap admin of the local stack). Tests never demote, disable or sign it out. */
public final class Admins {
    private Admins() {
    }

    public static TestUser seeded() {
        String email = System.getenv().getOrDefault("LOCAL_ADMIN_EMAIL", StackOptions.DEFAULT_ADMIN_EMAIL);
        String password = System.getenv().getOrDefault("LOCAL_ADMIN_PASSWORD", StackOptions.DEFAULT_ADMIN_PASSWORD);
        return new TestUser(email, password);
    }

    /** A fresh access token of the seeded administrator. */
    public static String token() {
        return seeded().login().accessToken();
    }
}
