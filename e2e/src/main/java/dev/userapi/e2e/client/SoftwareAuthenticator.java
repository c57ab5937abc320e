package dev.userapi.e2e.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A passkey authenticator in software, for the end-to-end suite: it creates real credentials (an ES256 or RS256 key
 * pair from {@code java.security}), answers registration options with a {@code none} attestation and request options
 * with signed assertions, in the WebAuthn Level 3 JSON forms a browser hands a web client
 * ({@code RegistrationResponseJSON}, {@code AuthenticationResponseJSON}). Test code only: its knobs ({@link #origin},
 * {@link #rpId}, {@link #userVerified}, {@link #nextCounter}, {@link #badSignature}) let a test make each thing a
 * verifier must refuse.
 */
public final class SoftwareAuthenticator {
    /** The key type of the credential. */
    public enum Algorithm { ES256, RS256 }

    private final Algorithm algorithm;
    private final KeyPair keys;
    private final byte[] credentialId;
    /** The origin the client data names (a browser puts the page's origin). */
    public String origin;
    /** The relying-party id whose hash the authenticator data carries (null: the one the options name). */
    public String rpId;
    /** Whether the authenticator reports user verification (the UV flag). */
    public boolean userVerified = true;
    /** The signature counter of the next assertion (grows by one after each). */
    public long nextCounter = 1;
    /** Corrupts the next assertions' signatures. */
    public boolean badSignature;

    public SoftwareAuthenticator(Algorithm algorithm, String origin) {
        this.algorithm = algorithm;
        this.origin = origin;
        try {
            KeyPairGenerator generator;
            if (algorithm == Algorithm.ES256) {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
            }
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.credentialId = new byte[32];
        new java.security.SecureRandom().nextBytes(credentialId);
    }

    public String credentialId() {
        return b64(credentialId);
    }

    /** {@code navigator.credentials.create()}: a {@code RegistrationResponseJSON} for {@code publicKey} (creation options). */
    public Map<String, Object> create(JsonNode publicKey) {
        String rp = rpId != null ? rpId : publicKey.path("rp").path("id").asText();
        byte[] clientData = clientData("webauthn.create", publicKey.path("challenge").asText());
        ByteBuffer authData = ByteBuffer.allocate(37 + 16 + 2 + credentialId.length + 600);
        authData.put(sha256(rp.getBytes(StandardCharsets.UTF_8)));
        authData.put((byte) (0x01 | (userVerified ? 0x04 : 0) | 0x40)); // UP, UV, AT
        authData.putInt(0); // a new credential's counter
        authData.put(new byte[16]); // AAGUID: none
        authData.putShort((short) credentialId.length);
        authData.put(credentialId);
        authData.put(coseKey());
        byte[] authenticatorData = Arrays.copyOf(authData.array(), authData.position());
        byte[] attestationObject = cbor(generator -> {
            generator.writeStartObject(null, 3); // definite lengths, as authenticators write them
            generator.writeStringField("fmt", "none");
            generator.writeFieldName("attStmt");
            generator.writeStartObject(null, 0);
            generator.writeEndObject();
            generator.writeFieldName("authData");
            generator.writeBinary(authenticatorData);
            generator.writeEndObject();
        });
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", b64(clientData));
        response.put("attestationObject", b64(attestationObject));
        response.put("transports", java.util.List.of("internal"));
        return credential(response);
    }

    /** {@code navigator.credentials.get()}: an {@code AuthenticationResponseJSON} for {@code publicKey} (request options). */
    public Map<String, Object> get(JsonNode publicKey) {
        return get(publicKey.path("challenge").asText(), rpId != null ? rpId : publicKey.path("rpId").asText());
    }

    /** An assertion over {@code challenge} for {@code rp}. */
    public Map<String, Object> get(String challenge, String rp) {
        byte[] clientData = clientData("webauthn.get", challenge);
        ByteBuffer authData = ByteBuffer.allocate(37);
        authData.put(sha256(rp.getBytes(StandardCharsets.UTF_8)));
        authData.put((byte) (0x01 | (userVerified ? 0x04 : 0)));
        authData.putInt((int) nextCounter);
        nextCounter++;
        byte[] authenticatorData = authData.array();
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(algorithm == Algorithm.ES256 ? "SHA256withECDSA" : "SHA256withRSA");
            signer.initSign(keys.getPrivate());
            signer.update(authenticatorData);
            signer.update(sha256(clientData));
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        if (badSignature) {
            signature[signature.length - 1] ^= 0x01;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", b64(clientData));
        response.put("authenticatorData", b64(authenticatorData));
        response.put("signature", b64(signature));
        return credential(response);
    }

    private Map<String, Object> credential(Map<String, Object> response) {
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("id", credentialId());
        credential.put("rawId", credentialId());
        credential.put("type", "public-key");
        credential.put("response", response);
        credential.put("authenticatorAttachment", "platform");
        credential.put("clientExtensionResults", Map.of());
        return credential;
    }

    private byte[] clientData(String type, String challenge) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", type);
        data.put("challenge", challenge);
        data.put("origin", origin);
        data.put("crossOrigin", false);
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The credential public key as a COSE_Key (RFC 9053): EC2 P-256 with ES256, or RSA with RS256. */
    private byte[] coseKey() {
        return cbor(generator -> {
            generator.writeStartObject(null, algorithm == Algorithm.ES256 ? 5 : 4);
            if (algorithm == Algorithm.ES256) {
                ECPublicKey key = (ECPublicKey) keys.getPublic();
                generator.writeFieldId(1);
                generator.writeNumber(2); // kty: EC2
                generator.writeFieldId(3);
                generator.writeNumber(-7); // alg: ES256
                generator.writeFieldId(-1);
                generator.writeNumber(1); // crv: P-256
                generator.writeFieldId(-2);
                generator.writeBinary(unsigned(key.getW().getAffineX(), 32));
                generator.writeFieldId(-3);
                generator.writeBinary(unsigned(key.getW().getAffineY(), 32));
            } else {
                RSAPublicKey key = (RSAPublicKey) keys.getPublic();
                generator.writeFieldId(1);
                generator.writeNumber(3); // kty: RSA
                generator.writeFieldId(3);
                generator.writeNumber(-257); // alg: RS256
                generator.writeFieldId(-1);
                generator.writeBinary(unsigned(key.getModulus(), 256));
                generator.writeFieldId(-2);
                generator.writeBinary(key.getPublicExponent().toByteArray());
            }
            generator.writeEndObject();
        });
    }

    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == length) {
            return bytes;
        }
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }

    @FunctionalInterface
    private interface Writer {
        void write(CBORGenerator generator) throws IOException;
    }

    private static byte[] cbor(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator generator = new CBORFactory().createGenerator(out)) {
            writer.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
