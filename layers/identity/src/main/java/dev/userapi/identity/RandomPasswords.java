package dev.userapi.identity;

import java.security.SecureRandom;

/**
 * Random passwords nobody knows, that meet any Cognito password policy (every character class,
 * 40 characters): what an account gets when the password its owner chose cannot be set, so that
 * no earlier password keeps working.
 */
final class RandomPasswords {
    private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String DIGITS = "23456789";
    private static final String SYMBOLS = "!#$%&*+-=?@^_";
    private static final String ALL = LOWER + UPPER + DIGITS + SYMBOLS;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomPasswords() {
    }

    static String next() {
        StringBuilder password = new StringBuilder(40);
        for (String set : new String[] {LOWER, UPPER, DIGITS, SYMBOLS}) {
            password.append(set.charAt(RANDOM.nextInt(set.length())));
        }
        while (password.length() < 40) {
            password.append(ALL.charAt(RANDOM.nextInt(ALL.length())));
        }
        return password.toString();
    }
}
