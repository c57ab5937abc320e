package dev.userapi.authorizer;

import dev.userapi.tokens.VerifiedAccessToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The benchmark's view into the authorizer's own stages around the verifier (called by the benchmark only, never by
 * the handler; here, in the handler's package, for its package-private steps without a split package):
 * <ul>
 *   <li>{@code policy}: the stage prefix read from the method ARN and the decision (the cached resource list);</li>
 *   <li>{@code codec}: the TOKEN event's JSON read ({@link AuthorizerCodec#readEvent}) and the policy's JSON
 *       written ({@link AuthorizerCodec#writeAllowed}).</li>
 * </ul>
 */
public final class HandlerStages {
    private HandlerStages() {
    }

    public static Callable<Integer> stage(String name, byte[] event, String methodArn, VerifiedAccessToken token) {
        List<String> roles = List.of("user");
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        return switch (name) {
            case "policy" -> () -> {
                AccessPolicy.Allowed allowed = new AccessPolicy.Allowed(AccessPolicy.stagePrefix(methodArn), token, roles);
                return AccessPolicy.resources(allowed.stagePrefix(), allowed.sortedRoles()).size();
            };
            case "codec" -> {
                AccessPolicy.Allowed allowed = new AccessPolicy.Allowed(AccessPolicy.stagePrefix(methodArn), token, roles);
                yield () -> {
                    out.reset();
                    int read = AuthorizerCodec.readEvent(new ByteArrayInputStream(event)).getAuthorizationToken().length();
                    AuthorizerCodec.writeAllowed(allowed, out);
                    return read + out.size();
                };
            }
            default -> throw new IllegalArgumentException("unknown stage " + name);
        };
    }

    /** A token like the benchmark's, for the stages that do not verify it. */
    public static VerifiedAccessToken sample(String sub) {
        return new VerifiedAccessToken(sub, sub, "client", 1L, 2L, Optional.empty(), 1L, Optional.empty());
    }
}
