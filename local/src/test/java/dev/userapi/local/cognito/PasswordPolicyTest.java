package dev.userapi.local.cognito;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordPolicyTest {
    /** The template's policy. */
    private final PasswordPolicy policy = PasswordPolicy.from(Map.of("PasswordPolicy", Map.of("MinimumLength", 12,
            "RequireLowercase", true, "RequireUppercase", true, "RequireNumbers", true, "RequireSymbols", true)));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Sh0rt!x        | Password not long enough",
            "NO-LOWER-CASE-123 | Password must have lowercase characters",
            "no-upper-case-123 | Password must have uppercase characters",
            "No-Numbers-Here! | Password must have numeric characters",
            "NoSymbolsHere123 | Password must have symbol characters"})
    void aPasswordBreakingARule_getsCognitosMessage(String password, String message) {
        assertThat(policy.violation(password.trim())).hasValue("Password did not conform with policy: " + message);
    }

    @ParameterizedTest
    @CsvSource({"Corr3ct-Horse-Battery!", "Abcdefghij1^", "Spaces In 1Side!"})
    void aCompliantPassword_passes(String password) {
        assertThat(policy.violation(password)).isEmpty();
    }

    @RepeatedTest(50)
    void temporaryPasswords_satisfyThePolicy() {
        assertThat(policy.violation(policy.temporaryPassword())).isEmpty();
    }
}
