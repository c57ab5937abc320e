package dev.userapi.webhooks.delivery;

/**
 * Keeps webhook secrets encrypted at rest: signing needs the secret itself, so it is encrypted (not hashed), bound to
 * its webhook's id. On AWS and locally the same implementation ({@link KmsSecretCipher}) talks to KMS's API: AWS KMS,
 * or the local stack's key service.
 */
public interface SecretCipher {
    String encrypt(String webhookId, String secret);

    String decrypt(String webhookId, String ciphertext);
}
