package dev.userapi.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Evaluates the IAM policy a Lambda authorizer returned against the ARN of the method being called,
 * as API Gateway does: a statement applies when one of its actions matches
 * {@code execute-api:Invoke} and one of its resources matches the method ARN ({@code *} matches
 * any run of characters, {@code ?} one character); an applicable {@code Deny} wins over any
 * {@code Allow}; nothing applicable means deny.
 */
public final class IamPolicy {
    public enum Decision { ALLOW, DENY, EXPLICIT_DENY }

    private static final String INVOKE = "execute-api:Invoke";

    private IamPolicy() {
    }

    /** @throws IllegalArgumentException when the document is not a policy API Gateway would accept */
    public static Decision evaluate(JsonNode policyDocument, String methodArn) {
        if (policyDocument == null || !policyDocument.isObject()) {
            throw new IllegalArgumentException("policyDocument is not an object");
        }
        JsonNode statements = field(policyDocument, "Statement");
        if (statements == null || statements.isNull()) {
            throw new IllegalArgumentException("policyDocument has no Statement");
        }
        boolean allowed = false;
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            String effect = text(field(statement, "Effect"));
            if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
                throw new IllegalArgumentException("a statement's Effect is neither Allow nor Deny: " + effect);
            }
            boolean applies = values(field(statement, "Action")).stream().anyMatch(a -> glob(a.toLowerCase(Locale.ROOT),
                    INVOKE.toLowerCase(Locale.ROOT)))
                    && values(field(statement, "Resource")).stream().anyMatch(r -> glob(r, methodArn));
            if (applies && effect.equals("Deny")) {
                return Decision.EXPLICIT_DENY;
            }
            allowed |= applies;
        }
        return allowed ? Decision.ALLOW : Decision.DENY;
    }

    /** Whether {@code pattern} (with {@code *} and {@code ?} wildcards) matches all of {@code value}. */
    static boolean glob(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    /** IAM element names are case-sensitive in AWS's examples but accepted in any case by API Gateway. */
    private static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return node.get(candidate);
            }
        }
        return null;
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    private static String text(JsonNode node) {
        return node == null ? null : node.asText();
    }
}
