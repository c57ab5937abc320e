package dev.userapi.local.cognito;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user pool's password policy ({@code Policies.PasswordPolicy} in the template). cognito-local
 * stores the policy but never checks it, so the compatibility layer does, with Cognito's own rules
 * and messages ({@code InvalidPasswordException: Password did not conform with policy: ...}).
 * It also makes temporary passwords that satisfy it, as Cognito does.
 */
final class PasswordPolicy {
    /** The characters Cognito counts as symbols. */
    static final String SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

    private final int minimumLength;
    private final boolean lowercase;
    private final boolean uppercase;
    private final boolean numbers;
    private final boolean symbols;
    private final SecureRandom random = new SecureRandom();

    PasswordPolicy(int minimumLength, boolean lowercase, boolean uppercase, boolean numbers, boolean symbols) {
        this.minimumLength = minimumLength;
        this.lowercase = lowercase;
        this.uppercase = uppercase;
        this.numbers = numbers;
        this.symbols = symbols;
    }

    /** From the template's {@code Policies} property (Cognito's defaults where it says nothing). */
    @SuppressWarnings("unchecked")
    static PasswordPolicy from(Map<String, Object> policies) {
        Map<String, Object> p = (Map<String, Object>) policies.getOrDefault("PasswordPolicy", Map.of());
        return new PasswordPolicy(Integer.parseInt(String.valueOf(p.getOrDefault("MinimumLength", 8))),
                flag(p, "RequireLowercase"), flag(p, "RequireUppercase"), flag(p, "RequireNumbers"), flag(p, "RequireSymbols"));
    }

    private static boolean flag(Map<String, Object> p, String name) {
        return Boolean.parseBoolean(String.valueOf(p.getOrDefault(name, true)));
    }

    /** Cognito's message for the first rule the password breaks, if any. */
    Optional<String> violation(String password) {
        if (password == null || password.length() < minimumLength) {
            return Optional.of("Password did not conform with policy: Password not long enough");
        }
        if (lowercase && password.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
            return Optional.of("Password did not conform with policy: Password must have lowercase characters");
        }
        if (uppercase && password.chars().noneMatch(c -> c >= 'A' && c <= 'Z')) {
            return Optional.of("Password did not conform with policy: Password must have uppercase characters");
        }
        if (numbers && password.chars().noneMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of("Password did not conform with policy: Password must have numeric characters");
        }
        if (symbols && password.chars().noneMatch(c -> SYMBOLS.indexOf(c) >= 0)) {
            return Optional.of("Password did not conform with policy: Password must have symbol characters");
        }
        if (password.startsWith(" ") || password.endsWith(" ")) {
            return Optional.of("Password did not conform with policy: Password must not begin or end with a space");
        }
        return Optional.empty();
    }

    void check(String password) throws CognitoError {
        Optional<String> violation = violation(password);
        if (violation.isPresent()) {
            throw new CognitoError("InvalidPasswordException", violation.get());
        }
    }

    /** A random password that satisfies the policy (one of each required class, the rest mixed). */
    String temporaryPassword() {
        String lower = "abcdefghijkmnopqrstuvwxyz";
        String upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        String digits = "23456789";
        String marks = "!#%+-=_";
        List<Character> chars = new ArrayList<>();
        chars.add(pick(lower));
        chars.add(pick(upper));
        chars.add(pick(digits));
        chars.add(pick(marks));
        String all = lower + upper + digits + marks;
        while (chars.size() < Math.max(minimumLength, 12)) {
            chars.add(pick(all));
        }
        Collections.shuffle(chars, random);
        StringBuilder out = new StringBuilder();
        chars.forEach(out::append);
        return out.toString();
    }

    private char pick(String from) {
        return from.charAt(random.nextInt(from.length()));
    }
}
