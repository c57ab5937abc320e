package dev.userapi.tokens;

import static dev.userapi.tokens.TokenInvalidException.Reason.MALFORMED;
import static dev.userapi.tokens.TokenInvalidException.Reason.MISSING_CLAIM;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Claim-type checks both verifiers run before java-jwt sees the token (java-jwt accepts a missing
 * {@code exp}, fractional or string times...): required claims present, strings non-empty, times
 * integer NumericDates.
 */
final class ClaimChecks {
    /** The largest NumericDate accepted: 9999-12-31T23:59:59Z. */
    static final long MAX_NUMERIC_DATE = 253_402_300_799L;

    private ClaimChecks() {
    }

    static void check(ObjectNode claims, List<String> requiredStrings, List<String> requiredTimes, List<String> times,
                      List<String> optionalStrings) {
        for (String name : requiredStrings) {
            JsonNode value = claims.get(name);
            if (value == null || value.isNull()) {
                throw new TokenInvalidException(MISSING_CLAIM, name + " is missing");
            }
            if (!value.isTextual() || value.textValue().isEmpty()) {
                throw new TokenInvalidException(MALFORMED, name + " is not a non-empty string");
            }
        }
        for (String name : requiredTimes) {
            if (claims.get(name) == null || claims.get(name).isNull()) {
                throw new TokenInvalidException(MISSING_CLAIM, name + " is missing");
            }
        }
        for (String name : times) {
            JsonNode value = claims.get(name);
            if (value != null && !(value.isIntegralNumber() && value.canConvertToLong()
                    && value.longValue() >= 0 && value.longValue() <= MAX_NUMERIC_DATE)) {
                throw new TokenInvalidException(MALFORMED, name + " is not an integer NumericDate");
            }
        }
        for (String name : optionalStrings) {
            JsonNode value = claims.get(name);
            if (value != null && !value.isTextual()) {
                throw new TokenInvalidException(MALFORMED, name + " is not a string");
            }
        }
    }
}
