package dev.userapi.webhooks.delivery;

import dev.userapi.core.problem.ServiceUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * KMS {@code Encrypt}/{@code Decrypt} of a webhook's secret with the template's key, the encryption context
 * {@code {"webhookId": id}} binding a ciphertext to its webhook (one copied onto another webhook does not decrypt).
 */
public final class KmsSecretCipher implements SecretCipher {
    static final String CONTEXT_KEY = "webhookId";

    private final KmsClient kms;
    private final String keyId;

    public KmsSecretCipher(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public String encrypt(String webhookId, String secret) {
        try {
            byte[] blob = kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromString(secret, StandardCharsets.UTF_8))
                    .encryptionContext(Map.of(CONTEXT_KEY, webhookId))).ciphertextBlob().asByteArray();
            return Base64.getEncoder().encodeToString(blob);
        } catch (SdkException e) {
            throw new ServiceUnavailableException("The key service is unavailable.", e);
        }
    }

    @Override
    public String decrypt(String webhookId, String ciphertext) {
        return kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(Base64.getDecoder().decode(ciphertext)))
                .encryptionContext(Map.of(CONTEXT_KEY, webhookId))).plaintext().asString(StandardCharsets.UTF_8);
    }
}
