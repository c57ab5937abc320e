package dev.userapi.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretHashTest {

    @Test
    void secretHash_isBase64OfHmacSha256_overUsernameThenClientId() {
        // The well-known HMAC-SHA256 vector: key "key", message "The quick brown fox jumps over the lazy dog"
        // = f7bc83f4...2d1a3cd8; the message is username + client ID, in that order.
        assertThat(SecretHash.of("key", "The quick brown fox jumps over the ", "lazy dog"))
                .isEqualTo("97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");
    }

    @Test
    void secretHash_dependsOnTheUsername() {
        assertThat(SecretHash.of("s3cr3t-of-the-client", "alice@example.com", "4abc123client"))
                .isEqualTo("bpjGdxD8f56e1/eiI7zj+14dmaSjJwWjTkLcrRD8/Hk=")
                .isNotEqualTo(SecretHash.of("s3cr3t-of-the-client", "bob@example.com", "4abc123client"));
    }
}
