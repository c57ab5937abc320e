package dev.userapi.tokens;

import com.auth0.jwk.InvalidPublicKeyException;
import com.auth0.jwk.Jwk;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed JWKS: the keys that may verify tokens, indexed by {@code kid}, and the {@code kid}s the
 * document names whose keys must not be used (so a token naming one is refused without a refetch).
 *
 * <p>A JWK is usable only if
 * <ul>
 *   <li>{@code kty} is {@code RSA};</li>
 *   <li>{@code alg} is {@code RS256} <em>or absent</em> (as in aws-jwt-verify: {@code alg} is optional
 *       in RFC 7517, and the token's own {@code alg} is pinned to RS256 anyway; Cognito and
 *       cognito-local both publish it);</li>
 *   <li>{@code use} is {@code sig} or absent, and {@code key_ops}, if present, contains {@code verify};</li>
 *   <li>the modulus is 2048 to 8192 bits and the public exponent odd, at least 3 and at most 32 bits
 *       (no toy keys, no keys that make each verification expensive);</li>
 *   <li>its {@code kid} is a non-empty string of at most {@link CognitoAccessTokenVerifier#MAX_KID_LENGTH}
 *       characters that no other JWK in the document uses.</li>
 * </ul>
 * Key material is built by jwks-rsa's {@link Jwk#getPublicKey()} from the fields checked here; the
 * certificate fields ({@code x5u}, {@code x5c}) are never passed to it or fetched.
 */
final class JwkSet {
    static final int MAX_KEYS = 100;
    static final int MIN_MODULUS_BITS = 2048;
    static final int MAX_MODULUS_BITS = 8192;

    static final JwkSet EMPTY = new JwkSet(Map.of(), Map.of());

    /** A key ready to verify RS256 signatures. */
    record SigningKey(String kid, RSAPublicKey publicKey) {
    }

    private final Map<String, SigningKey> usable;
    private final Map<String, String> unusable;

    private JwkSet(Map<String, SigningKey> usable, Map<String, String> unusable) {
        this.usable = Map.copyOf(usable);
        this.unusable = Map.copyOf(unusable);
    }

    SigningKey find(String kid) {
        return usable.get(kid);
    }

    /** Why the document's key {@code kid} is not used, or null if the document has no such unusable key. */
    String whyUnusable(String kid) {
        return unusable.get(kid);
    }

    boolean isEmpty() {
        return usable.isEmpty();
    }

    Set<String> kids() {
        return usable.keySet();
    }

    /**
     * Keeps the instances of {@code previous} for keys that did not change, so whatever callers built
     * from them (compiled verifiers) stays valid across refetches.
     */
    JwkSet reusing(JwkSet previous) {
        Map<String, SigningKey> merged = new HashMap<>(usable);
        merged.replaceAll((kid, key) -> {
            SigningKey old = previous.usable.get(kid);
            return old != null && old.publicKey().equals(key.publicKey()) ? old : key;
        });
        return new JwkSet(merged, unusable);
    }

    /**
     * Parses a JWKS document strictly.
     *
     * @throws IllegalArgumentException if it is not a JWKS with at least one usable key
     */
    static JwkSet parse(byte[] body) {
        ObjectNode document = StrictJson.object(body);
        JsonNode keys = document.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new IllegalArgumentException("no keys array");
        }
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("more than " + MAX_KEYS + " keys");
        }
        Map<String, SigningKey> usable = new LinkedHashMap<>();
        Map<String, String> unusable = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode jwk : keys) {
            String kid = text(jwk, "kid");
            if (kid == null || kid.isEmpty() || kid.length() > CognitoAccessTokenVerifier.MAX_KID_LENGTH) {
                continue; // cannot be selected by a token's kid anyway
            }
            if (!seen.add(kid)) {
                usable.remove(kid);
                unusable.put(kid, "kid appears more than once in the JWKS");
                continue;
            }
            try {
                usable.put(kid, new SigningKey(kid, rsaSigningKey(jwk)));
            } catch (IllegalArgumentException e) {
                unusable.put(kid, e.getMessage());
            }
        }
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("no usable RS256 signing key");
        }
        return new JwkSet(usable, unusable);
    }

    private static RSAPublicKey rsaSigningKey(JsonNode jwk) {
        if (!jwk.isObject()) {
            throw new IllegalArgumentException("JWK is not an object");
        }
        String kty = requireText(jwk, "kty");
        if (!"RSA".equals(kty)) {
            throw new IllegalArgumentException("JWK kty is not RSA");
        }
        String alg = optionalText(jwk, "alg");
        if (alg != null && !"RS256".equals(alg)) {
            throw new IllegalArgumentException("JWK alg is not RS256");
        }
        String use = optionalText(jwk, "use");
        if (use != null && !"sig".equals(use)) {
            throw new IllegalArgumentException("JWK use is not sig");
        }
        JsonNode ops = jwk.get("key_ops");
        if (ops != null && !(ops.isArray() && containsText(ops, "verify"))) {
            throw new IllegalArgumentException("JWK key_ops does not allow verify");
        }
        String n = requireText(jwk, "n");
        String e = requireText(jwk, "e");
        Map<String, Object> values = new HashMap<>();
        values.put("kid", text(jwk, "kid"));
        values.put("kty", kty);
        values.put("n", n);
        values.put("e", e);
        PublicKey key;
        try {
            key = Jwk.fromValues(values).getPublicKey();
        } catch (InvalidPublicKeyException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("JWK is not a valid RSA public key");
        }
        if (!(key instanceof RSAPublicKey rsa)) {
            throw new IllegalArgumentException("JWK is not an RSA public key");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS) {
            throw new IllegalArgumentException("JWK modulus has " + bits + " bits");
        }
        BigInteger exponent = rsa.getPublicExponent();
        if (exponent.bitLength() > 32 || exponent.compareTo(BigInteger.valueOf(3)) < 0 || !exponent.testBit(0)) {
            throw new IllegalArgumentException("JWK public exponent is unsafe");
        }
        return rsa;
    }

    private static boolean containsText(JsonNode array, String value) {
        for (JsonNode element : array) {
            if (element.isTextual() && value.equals(element.textValue())) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("JWK " + field + " is not a string");
        }
        return value.textValue();
    }

    private static String requireText(JsonNode node, String field) {
        String value = optionalText(node, field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("JWK " + field + " is missing");
        }
        return value;
    }
}
