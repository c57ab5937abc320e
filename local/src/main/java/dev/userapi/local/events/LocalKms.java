package dev.userapi.local.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * KMS {@code Encrypt}/{@code Decrypt} for the template's symmetric key, locally: AES-256-GCM under a key made at the
 * first start (kept beside the persistent data, so secrets stored before a restart still decrypt; a fresh one for an
 * in-memory stack), the encryption context authenticated as associated data as KMS does: a ciphertext decrypts only
 * with the context it was made with. Not KMS's ciphertext format; nothing outside the stack reads it.
 */
public final class LocalKms {
    /** KMS's answer to a ciphertext that does not decrypt (wrong context, altered, another key). */
    public static final class InvalidCiphertext extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidCiphertext() {
            super("The ciphertext does not decrypt with this key and encryption context.");
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final String keyArn;
    private final SecretKeySpec key;

    public LocalKms(String keyArn, Optional<Path> keyFile) {
        this.keyArn = keyArn;
        this.key = new SecretKeySpec(keyBytes(keyFile), "AES");
    }

    public String keyArn() {
        return keyArn;
    }

    public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(context));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] decrypt(byte[] blob, Map<String, String> context) throws InvalidCiphertext {
        if (blob.length < 12 + 16) {
            throw new InvalidCiphertext();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, blob, 0, 12));
            cipher.updateAAD(aad(context));
            return cipher.doFinal(blob, 12, blob.length - 12);
        } catch (GeneralSecurityException e) {
            throw new InvalidCiphertext();
        }
    }

    private byte[] aad(Map<String, String> context) {
        StringBuilder text = new StringBuilder(keyArn).append('\n');
        new TreeMap<>(context == null ? Map.<String, String>of() : context).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] keyBytes(Optional<Path> keyFile) {
        try {
            if (keyFile.isPresent() && Files.exists(keyFile.get())) {
                return Files.readAllBytes(keyFile.get());
            }
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            if (keyFile.isPresent()) {
                Files.createDirectories(keyFile.get().getParent());
                Files.write(keyFile.get(), bytes);
            }
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the local KMS key: " + e.getMessage(), e);
        }
    }
}
