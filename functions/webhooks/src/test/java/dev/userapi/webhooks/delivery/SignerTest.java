package dev.userapi.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SignerTest {
    @Test
    void signature_matchesTheStandardWebhooksReferenceVector() {
        // The example of the Standard Webhooks specification (and Svix's libraries' tests).
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        assertThat(Signer.signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void newSecret_isWhsecAndBase64Of32Bytes_andDiffersEachTime() {
        String a = Signer.newSecret();
        assertThat(a).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(32);
        assertThat(Signer.newSecret()).isNotEqualTo(a);
    }

    @Test
    void headers_carryIdTimestampAndSignature() {
        String secret = Signer.newSecret();
        var headers = Signer.headers(secret, "evt_1", 1700000000L, "{}");
        assertThat(headers).containsEntry("webhook-id", "evt_1").containsEntry("webhook-timestamp", "1700000000")
                .containsEntry("webhook-signature", Signer.signature(secret, "evt_1", 1700000000L, "{}"));
    }
}
