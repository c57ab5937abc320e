package dev.userapi.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JWKS documents as the two issuers we verify publish them. */
class JwkSetTest {

    @Test
    void cognitoLocalsPublishedJwks_yieldsItsSigningKey() throws Exception {
        byte[] document;
        try (InputStream in = JwkSetTest.class.getResourceAsStream("/cognito-local-jwks.json")) {
            document = in.readAllBytes();
        }
        JwkSet set = JwkSet.parse(document);

        assertThat(set.kids()).containsExactly("CognitoLocal");
        assertThat(set.find("CognitoLocal").publicKey().getModulus().bitLength()).isEqualTo(2048);
    }

    @Test
    void cognitoShapedJwks_withTwoKeys_yieldsBoth() {
        String kid1 = "1WYlqe6cFjbXC1qXiG0W6fXbuB7OsqDsVE0MsJ6NB9Y=";
        String kid2 = "tPZg7Ikt4/uVL0yUAvc+K6Fs6YYUO6g8sZVcfGOwqmE=";
        byte[] doc = Tokens.json(Map.of("keys", List.of(TestKeys.jwk(TestKeys.POOL, kid1), TestKeys.jwk(TestKeys.ROTATED, kid2))))
                .getBytes(StandardCharsets.UTF_8);

        assertThat(JwkSet.parse(doc).kids()).containsExactlyInAnyOrder(kid1, kid2);
    }

    @Test
    void documentWithoutUsableKeys_isRefused() {
        for (String doc : List.of("{}", "{\"keys\":null}", "{\"keys\":[]}", "{\"keys\":[{}]}", "[]")) {
            assertThatThrownBy(() -> JwkSet.parse(doc.getBytes(StandardCharsets.UTF_8))).as(doc)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void documentWithTooManyKeys_isRefused() {
        List<Map<String, Object>> keys = new java.util.ArrayList<>();
        for (int i = 0; i <= JwkSet.MAX_KEYS; i++) {
            keys.add(TestKeys.jwk(TestKeys.POOL, "k" + i));
        }
        assertThatThrownBy(() -> JwkSet.parse(Tokens.json(Map.of("keys", keys)).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
