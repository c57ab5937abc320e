package dev.userapi.authorizer;

import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.userapi.core.config.AppConfig;
import dev.userapi.tokens.VerifiedAccessToken;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IAM policy an authorizer returns. API Gateway caches it per token (not per route) for the
 * authorizer TTL, so it must allow every route the caller may call, not only the one requested:
 * {@code /me}, {@code /orgs}, {@code /invitations} and everything under them and {@code POST /auth/reauthenticate} for every signed-in user,
 * {@code /webhooks} and everything under it only for {@code admin} (issue 20),
 * {@code /users} and everything under it only for {@code admin}. Public routes do not use the authorizer. Nothing else is allowed, and
 * there is no Deny statement: anything not allowed is denied (403).
 */
final class AccessPolicy {
    private static final int MAX_ARN_PART = 128;
    /** Resource lists by stage prefix and admin flag: a handful per function (one API, its stages). */
    private static final Map<String, List<String>> RESOURCES = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 64;

    private AccessPolicy() {
    }

    /**
     * The {@code arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/} prefix of a method ARN.
     *
     * @throws IllegalArgumentException if {@code methodArn} is not an execute-api method ARN whose
     *                                  parts are free of wildcards
     */
    static String stagePrefix(String methodArn) {
        if (methodArn == null) {
            throw new IllegalArgumentException("no methodArn");
        }
        // arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/<method>/<path>, read by index (no split, no regex)
        int[] colons = new int[5];
        int from = 0;
        for (int i = 0; i < colons.length; i++) {
            colons[i] = methodArn.indexOf(':', from);
            if (colons[i] < 0) {
                throw new IllegalArgumentException("not an execute-api ARN");
            }
            from = colons[i] + 1;
        }
        if (!methodArn.startsWith("arn:") || colons[0] != 3
                || !methodArn.regionMatches(colons[1] + 1, "execute-api:", 0, "execute-api:".length())
                || colons[2] != colons[1] + "execute-api".length() + 1) {
            throw new IllegalArgumentException("not an execute-api ARN");
        }
        int apiEnd = methodArn.indexOf('/', colons[4] + 1);
        int stageEnd = apiEnd < 0 ? -1 : methodArn.indexOf('/', apiEnd + 1);
        if (stageEnd < 0) {
            throw new IllegalArgumentException("methodArn has no api id, stage and method");
        }
        if (!arnPart(methodArn, colons[0] + 1, colons[1]) || !arnPart(methodArn, colons[2] + 1, colons[3])
                || !arnPart(methodArn, colons[3] + 1, colons[4]) || !arnPart(methodArn, colons[4] + 1, apiEnd)
                || !arnPart(methodArn, apiEnd + 1, stageEnd)) {
            throw new IllegalArgumentException("methodArn has an unexpected part");
        }
        return methodArn.substring(0, stageEnd + 1);
    }

    /** Whether {@code s[from, to)} is 1..128 characters of {@code [A-Za-z0-9_.$-]}. */
    private static boolean arnPart(String s, int from, int to) {
        if (to - from < 1 || to - from > MAX_ARN_PART) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '.' || c == '$' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The methods spelled out in every resource. Not {@code *}: in an execute-api resource ARN a
     * {@code *} also matches {@code /}, so {@code <prefix>*}{@code /me} would match
     * {@code <prefix>GET/users/me} — the admin route {@code /users/{id}} for the id {@code me}.
     */
    static final List<String> METHODS = List.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT");

    /**
     * The resources a caller with {@code roles} may invoke: {@code <prefix><METHOD>/me}, {@code …/me/*},
     * {@code <prefix>POST/auth/reauthenticate}, and for admins {@code /users}.
     */
    static List<String> resources(String stagePrefix, Collection<String> roles) {
        boolean admin = admin(roles);
        String key = (admin ? "A" : "U") + stagePrefix;
        List<String> cached = RESOURCES.get(key);
        if (cached != null) {
            return cached;
        }
        // /orgs and /invitations: every signed-in user; the org functions authorize each request from the table (issue 19)
        List<String> roots = admin ? List.of("me", "orgs", "invitations", "users", "webhooks") : List.of("me", "orgs", "invitations");
        List<String> resources = new ArrayList<>();
        for (String root : roots) {
            for (String method : METHODS) {
                resources.add(stagePrefix + method + "/" + root);
                resources.add(stagePrefix + method + "/" + root + "/*");
            }
        }
        resources.add(stagePrefix + "POST/auth/reauthenticate");
        List<String> built = List.copyOf(resources);
        if (RESOURCES.size() >= MAX_CACHED) {
            RESOURCES.clear(); // only a forged ARN stream could get here: never let it grow
        }
        RESOURCES.put(key, built);
        return built;
    }

    /**
     * The response: principal = {@code sub}; one Allow statement; context of strings only, with the token's
     * {@code authTime} (epoch seconds, {@code 0} when unknown) for the routes that need a recent sign-in.
     */
    static IamPolicyResponseV1 allow(String stagePrefix, VerifiedAccessToken token, List<String> sortedRoles) {
        return IamPolicyResponseV1.builder()
                .withPrincipalId(token.sub())
                .withPolicyDocument(document(stagePrefix, sortedRoles))
                .withContext(Map.of(
                        "sub", token.sub(),
                        "username", token.username(),
                        "roles", String.join(",", sortedRoles),
                        "authTime", Long.toString(token.authTime())))
                .build();
    }

    /** The allow decision: what {@link #allow} turns into a response, and {@link AuthorizerCodec} writes directly. */
    static IamPolicyResponseV1 allow(Allowed allowed) {
        return allow(allowed.stagePrefix(), allowed.token(), allowed.sortedRoles());
    }

    /** The policy document: one Allow statement over {@link #resources}. */
    static IamPolicyResponseV1.PolicyDocument document(String stagePrefix, Collection<String> roles) {
        IamPolicyResponseV1.Statement statement = IamPolicyResponseV1.Statement.builder()
                .withAction(IamPolicyResponseV1.EXECUTE_API_INVOKE)
                .withEffect(IamPolicyResponseV1.ALLOW)
                .withResource(resources(stagePrefix, roles))
                .build();
        return IamPolicyResponseV1.PolicyDocument.builder()
                .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                .withStatement(List.of(statement))
                .build();
    }

    /** Whether the policy of {@code roles} includes the admin routes: the only thing the document depends on besides the stage. */
    static boolean admin(Collection<String> roles) {
        return roles.contains(AppConfig.ADMIN_ROLE);
    }

    /**
     * A verified caller allowed in: the stage its method ARN names, the token and its current roles (sorted).
     */
    record Allowed(String stagePrefix, VerifiedAccessToken token, List<String> sortedRoles) {
    }
}
