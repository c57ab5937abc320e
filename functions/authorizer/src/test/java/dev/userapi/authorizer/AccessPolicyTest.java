package dev.userapi.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link AccessPolicy#stagePrefix} reads the method ARN by index; it must accept and refuse exactly what the split-and-regex reading did. */
class AccessPolicyTest {
    private static final Pattern ARN_PART = Pattern.compile("[A-Za-z0-9_.$-]{1,128}");
    private static final String VALID = "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/GET/me";

    /** The previous implementation, kept as the reference. */
    private static String reference(String methodArn) {
        if (methodArn == null) {
            throw new IllegalArgumentException("no methodArn");
        }
        String[] arn = methodArn.split(":", 6);
        if (arn.length != 6 || !"arn".equals(arn[0]) || !"execute-api".equals(arn[2])) {
            throw new IllegalArgumentException("not an execute-api ARN");
        }
        String[] path = arn[5].split("/", 3);
        if (path.length < 3) {
            throw new IllegalArgumentException("methodArn has no api id, stage and method");
        }
        for (String part : new String[] {arn[1], arn[3], arn[4], path[0], path[1]}) {
            if (!ARN_PART.matcher(part).matches()) {
                throw new IllegalArgumentException("methodArn has an unexpected part");
            }
        }
        return "arn:" + arn[1] + ":execute-api:" + arn[3] + ":" + arn[4] + ":" + path[0] + "/" + path[1] + "/";
    }

    private static String outcome(java.util.function.UnaryOperator<String> f, String arn) {
        try {
            return "ok " + f.apply(arn);
        } catch (IllegalArgumentException e) {
            return "refused";
        }
    }

    @Test
    void agreesWithTheRegexReading_onMutationsOfAValidArn() {
        List<String> inputs = new ArrayList<>(List.of("", ":", "arn", "arn:", "arn:aws:execute-api:r:a:api/stage", "arn:aws:execute-api:r:a:api/stage/",
                "arn:aws:execute-api:r:a:api//GET/me", "arn::execute-api:r:a:api/s/GET", "arn:aws:execute-apix:r:a:api/s/GET",
                "arnx:aws:execute-api:r:a:api/s/GET", "arn:aws:execute-api:r:a:b:api/s/GET", "arn:aws:execute-api:r:a:api/s/GET:x",
                "arn:aws:execute-api:r:a:" + "x".repeat(128) + "/s/GET", "arn:aws:execute-api:r:a:" + "x".repeat(129) + "/s/GET",
                "arn:aws:execute-api:r:a:api/*/GET", "arn:aws:execute-api:r:a:api/s\u00e9/GET", VALID));
        Random random = new Random(21);
        String alphabet = "arn:aws:execute-api/*$._-Az09\u00e9 ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(VALID);
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(s.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> s.insert(at, c);
                    case 1 -> s.deleteCharAt(at);
                    default -> s.setCharAt(at, c);
                }
            }
            inputs.add(s.toString());
        }
        int accepted = 0;
        for (String input : inputs) {
            String expected = outcome(AccessPolicyTest::reference, input);
            assertThat(outcome(AccessPolicy::stagePrefix, input)).as(input).isEqualTo(expected);
            accepted += expected.startsWith("ok") ? 1 : 0;
        }
        assertThat(accepted).as("both outcomes are exercised").isBetween(100, inputs.size() - 100);
        assertThatThrownBy(() -> AccessPolicy.stagePrefix(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
