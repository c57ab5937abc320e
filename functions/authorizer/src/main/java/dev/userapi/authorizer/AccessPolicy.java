package dev.userapi.authorizer;

import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.userapi.core.config.AppConfig;
import dev.userapi.tokens.VerifiedAccessToken;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The IAM policy an authorizer returns. API Gateway caches it per token (not per route) for the
 * authorizer TTL, so it must allow every route the caller may call, not only the one requested:
 * {@code /me}, {@code /orgs}, {@code /invitations} and everything under them and {@code POST /auth/reauthenticate} for every signed-in user,
 * {@code /webhooks} and everything under it only for {@code admin} (issue 20),
 * {@code /users} and everything under it only for {@code admin}. Public routes do not use the authorizer. Nothing else is allowed, and
 * there is no Deny statement: anything not allowed is denied (403).
 */
final class AccessPolicy {
    private static final Pattern ARN_PART = Pattern.compile("[A-Za-z0-9_.$-]{1,128}");
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
        String[] arn = methodArn.split(":", 6);
        if (arn.length != 6 || !"arn".equals(arn[0]) || !"execute-api".equals(arn[2])) {
            throw new IllegalArgumentException("not an execute-api ARN");
        }
        String[] path = arn[5].split("/", 3);
        if (path.length < 3) {
            throw new IllegalArgumentException("methodArn has no api id, stage and method");
        }
        for (String part : new String[] {arn[1], arn[3], arn[4], path[0], path[1]}) {
            if (!ARN_PART.matcher(part).matches()) {
                throw new IllegalArgumentException("methodArn has an unexpected part");
            }
        }
        return "arn:" + arn[1] + ":execute-api:" + arn[3] + ":" + arn[4] + ":" + path[0] + "/" + path[1] + "/";
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
        boolean admin = roles.contains(AppConfig.ADMIN_ROLE);
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
        IamPolicyResponseV1.Statement statement = IamPolicyResponseV1.Statement.builder()
                .withAction(IamPolicyResponseV1.EXECUTE_API_INVOKE)
                .withEffect(IamPolicyResponseV1.ALLOW)
                .withResource(resources(stagePrefix, sortedRoles))
                .build();
        return IamPolicyResponseV1.builder()
                .withPrincipalId(token.sub())
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(List.of(statement))
                        .build())
                .withContext(Map.of(
                        "sub", token.sub(),
                        "username", token.username(),
                        "roles", String.join(",", sortedRoles),
                        "authTime", Long.toString(token.authTime())))
                .build();
    }
}
