package dev.userapi.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JwtParts#decompose}'s one-pass check and its own base64url decoder: for every token, the same answer as the
 * step-by-step checks and the JDK's decoder (the same parts, or the same refusal with the same reason and message).
 */
class JwtPartsFastPathTest {
    private static final String ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test";

    @Test
    void decode_isTheJdksDecoder_onEveryLengthAndManyValues() {
        Random random = new Random(42);
        for (int length = 0; length < 300; length++) {
            for (int round = 0; round < 20; round++) {
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                byte[] text = Base64.getUrlEncoder().withoutPadding().encode(bytes);
                byte[] framed = new byte[text.length + 6]; // a segment inside a longer token, as decompose reads it
                System.arraycopy(text, 0, framed, 3, text.length);
                assertThat(JwtParts.decode(framed, 3, 3 + text.length)).isEqualTo(bytes);
                assertThat(JwtParts.decodeChecked(framed, 3, 3 + text.length)).isEqualTo(bytes);
            }
        }
    }

    @Test
    void decodeChecked_declinesASegmentWithAnyByteOutsideTheAlphabet_whereverItIs() {
        byte[] text = Base64.getUrlEncoder().withoutPadding().encode("{\"kid\":\"k\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < text.length; i++) {
            for (byte outside : new byte[] {'.', '=', '+', '/', ' ', 0, (byte) 0xe9, (byte) 0x80, (byte) 0xff}) {
                byte[] changed = text.clone();
                changed[i] = outside;
                assertThat(JwtParts.decodeChecked(changed, 0, changed.length)).as("byte %d at %d", outside, i).isNull();
            }
        }
        assertThat(JwtParts.decodeChecked(text, 0, text.length)).isEqualTo(Base64.getUrlDecoder().decode(text));
    }

    @Test
    void decompose_answersAsTheStepByStepChecks_forEverySingleCharacterChangeOfAToken() {
        String token = Tokens.rs256(Tokens.header(), Tokens.accessClaims(ISSUER, 1_700_000_000L), TestKeys.POOL.getPrivate());
        List<String> variants = new ArrayList<>();
        variants.add(token);
        String replacements = ".=+/ A_-0\u00e9\u20ac\u0000";
        for (int i = 0; i < token.length(); i++) {
            for (char c : replacements.toCharArray()) {
                variants.add(token.substring(0, i) + c + token.substring(i + 1));
            }
            variants.add(token.substring(0, i) + token.substring(i + 1)); // a character removed: lengths and bits change
        }
        for (String cut : List.of(".", "..", "...", "a.b.c", "a..c", ".b.c", "a.b.", "ab.cd.ef.gh", "AA.AA.AA", "AB.AA.AA",
                "AAA.AA.AA", "AAAAA.AA.AA", "e30.e30.AA", "e30.e30.AAA=")) {
            variants.add(cut);
        }
        for (String variant : variants) {
            assertThat(outcome(() -> JwtParts.decompose(variant, 8192)))
                    .as(variant)
                    .isEqualTo(outcome(() -> JwtParts.decomposeStepByStep(variant, variant.getBytes(StandardCharsets.ISO_8859_1))));
        }
    }

    /** What decomposing gives: the parts (header, payload, signature bytes, segments) or the refusal. */
    private static String outcome(java.util.function.Supplier<JwtParts> decompose) {
        try {
            JwtParts parts = decompose.get();
            return "parts " + parts.header() + " " + parts.payload() + " " + Base64.getEncoder().encodeToString(parts.signatureBytes())
                    + " " + parts.getHeader() + "|" + parts.getPayload() + "|" + parts.getSignature();
        } catch (TokenInvalidException e) {
            return "refused " + e.reason() + " " + e.getMessage();
        }
    }
}
