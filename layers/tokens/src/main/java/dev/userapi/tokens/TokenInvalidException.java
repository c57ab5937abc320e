package dev.userapi.tokens;

import java.util.Objects;

/**
 * A token was refused. The {@link Reason} is what operators need (it is logged); the message is a
 * short internal detail that never contains the token or any part of it. Callers answer every
 * reason the same way: 401.
 *
 * <p>No stack trace is captured: refusing garbage is the common case under attack and must stay cheap.
 */
public final class TokenInvalidException extends RuntimeException {

    /** Why a token was refused, roughly in the order the checks run. */
    public enum Reason {
        /** Longer than {@link CognitoAccessTokenVerifier#MAX_TOKEN_LENGTH}; refused before any decoding. */
        TOO_LARGE,
        /** Not three non-empty base64url segments, not UTF-8, not a JSON object, duplicate keys, too deep. */
        MALFORMED,
        /** A segment that the strict base64url alphabet allows but that does not re-encode to itself. */
        NON_CANONICAL_ENCODING,
        /** {@code alg} is anything but {@code RS256}. */
        BAD_ALGORITHM,
        /** {@code crit}, {@code cty}, {@code jku}, {@code x5u}, {@code jwk}, {@code x5c}, {@code enc}, … or an odd {@code typ}. */
        UNSUPPORTED_HEADER,
        /** A required claim is absent. */
        MISSING_CLAIM,
        /** {@code kid} missing, not a string, too long, or not in the JWKS (after the allowed refetch). */
        UNKNOWN_KEY,
        /** The JWKS has the {@code kid} but the key is not an RS256 signing key of a safe size. */
        UNUSABLE_KEY,
        /** No keys could be loaded from the JWKS URL. */
        JWKS_UNAVAILABLE,
        /** The RS256 signature does not verify with the key named by {@code kid}. */
        BAD_SIGNATURE,
        /** {@code iss} is not exactly the configured issuer. */
        WRONG_ISSUER,
        /** {@code token_use} is not {@code access} (an ID token, for example). */
        WRONG_TOKEN_USE,
        /** {@code client_id} is not one of the configured app clients. */
        WRONG_CLIENT,
        /** An ID token whose {@code nonce} is not the one its sign-in sent (a replayed or injected token). */
        WRONG_NONCE,
        /** {@code exp} has passed (beyond the leeway). */
        EXPIRED,
        /** {@code nbf} is in the future (beyond the leeway). */
        NOT_YET_VALID,
        /** {@code iat} is in the future (beyond the leeway). */
        ISSUED_IN_FUTURE
    }

    private final Reason reason;

    public TokenInvalidException(Reason reason, String detail) {
        super(Objects.requireNonNull(detail, "detail"), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "TokenInvalidException[" + reason + ": " + getMessage() + "]";
    }
}
