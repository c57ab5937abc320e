package dev.userapi.bench;

import dev.userapi.authorizer.AuthorizerHandler;
import dev.userapi.core.user.UserRecord;
import dev.userapi.core.user.UserStatus;
import dev.userapi.tokens.CognitoAccessTokenVerifier;
import dev.userapi.tokens.RsaProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One throughput measurement in a JVM of its own (the driver chooses the JIT flags and whether ACCP's jar is
 * on the classpath):
 *
 * <ul>
 *   <li>{@code handler}: the authorizer's whole path, event to policy — {@link AuthorizerHandler}'s Lambda entry point (the TOKEN event's JSON to the policy's JSON)
 *       with the production verifier (its default provider choice, JWKS loaded once and cached) and an
 *       in-memory user record in place of the DynamoDB read (the handler's public constructor with dependencies);</li>
 *   <li>{@code raw-jdk} / {@code raw-accp}: {@code Signature.verify} (SHA256withRSA, the same 2048-bit key,
 *       the same token's signing input and signature), one {@code initVerify + update + verify} per operation.</li>
 * </ul>
 *
 * <pre>AuthorizerThroughput &lt;mode&gt; &lt;work dir&gt; &lt;warm-up ms&gt; &lt;round ms&gt; &lt;rounds&gt;</pre>
 *
 * The work dir holds {@code token.txt}, {@code jwks.json}, {@code issuer.txt}, {@code client-id.txt}. Prints
 * {@code BENCH-PROVIDER <name>} and one {@code BENCH-ROUND ops=<n> nanos=<wall> cpuNanos=<process CPU>} per round.
 */
public final class AuthorizerThroughput {
    /** CPU time of the whole process (user + system, every thread: GC and JIT included), as openssl speed counts CPU time. */
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:localapi01/dev/GET/me";

    private AuthorizerThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path work = Path.of(args[1]);
        long warmUpNanos = Duration.ofMillis(Long.parseLong(args[2])).toNanos();
        long roundNanos = Duration.ofMillis(Long.parseLong(args[3])).toNanos();
        int rounds = Integer.parseInt(args[4]);
        String token = Files.readString(work.resolve("token.txt")).trim();
        Operation operation = switch (mode) {
            case "handler" -> handler(work, token);
            case "stage-decode", "stage-signature", "stage-claims", "stage-policy", "stage-codec" -> stage(mode.substring("stage-".length()), work, token);
            case "raw-jdk" -> raw(RsaProvider.jdk(), work, token);
            case "raw-accp" -> raw(RsaProvider.preferNative(), work, token);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        run(operation, warmUpNanos);
        for (int i = 0; i < rounds; i++) {
            long cpuBefore = OS.getProcessCpuTime();
            long[] result = run(operation, roundNanos);
            long cpu = OS.getProcessCpuTime() - cpuBefore;
            System.out.println("BENCH-ROUND ops=" + result[0] + " nanos=" + result[1] + " cpuNanos=" + cpu);
        }
        System.out.println("BENCH-SINK " + sink);
        System.out.flush();
    }

    @FunctionalInterface
    private interface Operation {
        int run() throws Exception;
    }

    private static int sink;

    private static long[] run(Operation operation, long nanos) throws Exception {
        long start = System.nanoTime();
        long end = start + nanos;
        long ops = 0;
        long now;
        int acc = 0;
        do {
            acc += operation.run();
            ops++;
            now = System.nanoTime();
        } while (now < end);
        sink += acc;
        return new long[] {ops, now - start};
    }

    private static Operation handler(Path work, String token) throws Exception {
        String issuer = Files.readString(work.resolve("issuer.txt")).trim();
        String clientId = Files.readString(work.resolve("client-id.txt")).trim();
        byte[] jwks = Files.readAllBytes(work.resolve("jwks.json"));
        CognitoAccessTokenVerifier verifier = CognitoAccessTokenVerifier.builder(issuer, List.of(clientId))
                .jwksUrl(URI.create(issuer + "/.well-known/jwks.json"))
                .fetcher(url -> jwks)
                .build();
        if (!verifier.prime()) {
            throw new IllegalStateException("JWKS not loaded");
        }
        System.out.println("BENCH-PROVIDER " + verifier.rsaProvider());
        AuthorizerHandler handler = new AuthorizerHandler(verifier,
                sub -> Optional.of(new UserRecord(sub, UserStatus.ENABLED, List.of("user"), OptionalLong.empty())),
                List.of("user", "admin"));
        byte[] event = ("{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer " + token + "\",\"methodArn\":\"" + METHOD_ARN + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(2048);
        handler.handleRequest(new java.io.ByteArrayInputStream(event), out, null);
        String first = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        if (!first.contains("\"Effect\":\"Allow\"")) {
            throw new IllegalStateException("the token is not allowed: " + first);
        }
        return () -> {
            out.reset();
            handler.handleRequest(new java.io.ByteArrayInputStream(event), out, null);
            return out.size();
        };
    }

    /** One stage of the full path alone (see VerifierStages, HandlerStages), on the same token and event. */
    private static Operation stage(String name, Path work, String token) throws Exception {
        String issuer = Files.readString(work.resolve("issuer.txt")).trim();
        String clientId = Files.readString(work.resolve("client-id.txt")).trim();
        byte[] jwks = Files.readAllBytes(work.resolve("jwks.json"));
        CognitoAccessTokenVerifier verifier = CognitoAccessTokenVerifier.builder(issuer, List.of(clientId))
                .jwksUrl(URI.create(issuer + "/.well-known/jwks.json"))
                .fetcher(url -> jwks)
                .build();
        if (!verifier.prime()) {
            throw new IllegalStateException("JWKS not loaded");
        }
        System.out.println("BENCH-PROVIDER " + verifier.rsaProvider());
        java.util.concurrent.Callable<Integer> op = switch (name) {
            case "policy", "codec" -> dev.userapi.authorizer.HandlerStages.stage(name,
                    ("{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer " + token + "\",\"methodArn\":\"" + METHOD_ARN + "\"}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    METHOD_ARN, verifier.verify(token));
            default -> dev.userapi.tokens.VerifierStages.stage(name, token, verifier, clientId);
        };
        op.call();
        return op::call;
    }

    private static Operation raw(RsaProvider provider, Path work, String token) throws Exception {
        System.out.println("BENCH-PROVIDER " + provider);
        java.util.concurrent.Callable<Integer> verify = RawSignature.verifier(provider, Files.readAllBytes(work.resolve("jwks.json")), token);
        return verify::call;
    }
}
