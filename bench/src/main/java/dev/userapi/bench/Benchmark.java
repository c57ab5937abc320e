package dev.userapi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.local.DevStack;
import dev.userapi.local.StackOptions;
import dev.userapi.local.lambda.InvocationDurations;
import dev.userapi.local.lambda.LambdaFunction;
import dev.userapi.local.outbox.OutboxMessage;
import dev.userapi.local.template.LocalResources;
import dev.userapi.local.template.SamTemplate;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;

/**
 * {@code ./scripts/benchmark.sh}: measures, side by side in one run, the authorizer's throughput against
 * raw RSA verification (JDK, ACCP, OpenSSL) and aws-jwt-verify; whole-process cold starts against a
 * hello-world baseline; warm {@code GET /me} latency through the local gateway; and the size and contents of
 * the deployed artifacts. Prints a table and writes it as JSON. Every figure is the median of repeated runs.
 */
public final class Benchmark {
    static final String C1 = "-XX:TieredStopAtLevel=1";
    static final String POOL_ID = "us-east-1_BenchPool1";
    static final String ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/" + POOL_ID;
    static final String CLIENT_ID = "4bench5client6id7abcdefghi";
    static final String PASSWORD = "Bench-Passw0rd-2026!";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    record Options(Path root, Path artifacts, Path out, int rounds, long warmUpMillis, long roundMillis, int opensslSeconds,
                   int coldRuns, int latencyRequests, int latencyRounds, Set<String> sections, List<String> coldJvmOptions,
                   int memoryInvocations, long cacheSeed) {
        static Options parse(String[] args) {
            Path root = Path.of(System.getProperty("userapi.root", ".")).toAbsolutePath().normalize();
            Map<String, String> a = new LinkedHashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            boolean quick = "true".equals(a.get("quick"));
            return new Options(root,
                    Path.of(a.getOrDefault("artifacts", root.resolve("bench/target/artifacts").toString())),
                    Path.of(a.getOrDefault("out", root.resolve("bench/results/latest.json").toString())),
                    Integer.parseInt(a.getOrDefault("rounds", quick ? "3" : "5")),
                    Long.parseLong(a.getOrDefault("warm-up-ms", quick ? "1500" : "3000")),
                    Long.parseLong(a.getOrDefault("round-ms", quick ? "1000" : "2000")),
                    Integer.parseInt(a.getOrDefault("openssl-seconds", quick ? "1" : "2")),
                    Integer.parseInt(a.getOrDefault("cold-runs", quick ? "3" : "7")),
                    Integer.parseInt(a.getOrDefault("requests", quick ? "400" : "2000")),
                    Integer.parseInt(a.getOrDefault("latency-rounds", quick ? "2" : "3")),
                    Set.of(a.getOrDefault("sections", "sizes,throughput,cold,latency,capacity,cachehit").split(",")),
                    a.containsKey("cold-jvm-options") ? List.of(a.get("cold-jvm-options").trim().split("\\s+")) : List.of(),
                    Integer.parseInt(a.getOrDefault("memory-invocations", "50")),
                    Long.parseLong(a.getOrDefault("cache-seed", String.valueOf(AuthorizerCacheSimulation.DEFAULT_SEED))));
        }
    }

    private final Options options;
    private final Path work;
    private final Path javaBin;
    private final List<Path> ownClasspath;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final Table table = new Table();

    private Benchmark(Options options) throws IOException {
        this.options = options;
        this.work = Files.createDirectories(options.root().resolve("bench/target/bench-work"));
        this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        this.ownClasspath = List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream().map(Path::of).toList();
    }

    public static void main(String[] args) throws Exception {
        Benchmark benchmark = new Benchmark(Options.parse(args));
        benchmark.run();
        System.exit(0); // the local stack's non-daemon threads
    }

    private void run() throws Exception {
        Instant started = Instant.now();
        result.put("generatedAt", started.toString());
        result.put("command", "./scripts/benchmark.sh");
        result.put("machine", Machine.describe(javaBin));
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("start", Machine.loadAverage());
        result.put("load", load);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("rounds", options.rounds());
        settings.put("warmUpMillis", options.warmUpMillis());
        settings.put("roundMillis", options.roundMillis());
        settings.put("opensslSeconds", options.opensslSeconds());
        settings.put("coldRuns", options.coldRuns());
        settings.put("latencyRequests", options.latencyRequests());
        settings.put("latencyRounds", options.latencyRounds());
        settings.put("memoryInvocations", options.memoryInvocations());
        result.put("settings", settings);

        Artifacts artifacts = new Artifacts(options.artifacts());
        SamTemplate template = template();
        Set<String> sections = options.sections();
        if (sections.contains("sizes")) {
            sizes(artifacts, template);
        }
        if (sections.contains("throughput")) {
            throughput(artifacts, template);
            load.put("afterThroughput", Machine.loadAverage());
        }
        if (sections.contains("cold") || sections.contains("latency")) {
            try (DevStack stack = startStack()) {
                BenchUser user = benchUser(stack);
                if (sections.contains("cold")) {
                    coldStarts(artifacts, template, stack, user);
                    load.put("afterColdStarts", Machine.loadAverage());
                }
                if (sections.contains("latency")) {
                    warmLatency(stack, user);
                }
            }
        }
        if (sections.contains("capacity")) {
            capacity();
        }
        if (sections.contains("cachehit")) {
            cacheHit(template);
        }
        load.put("end", Machine.loadAverage());
        result.put("durationSeconds", Duration.between(started, Instant.now()).toSeconds());
        if (sections.containsAll(Set.of("sizes", "throughput", "cold", "latency"))) {
            try {
                result.put("goals", goals());
            } catch (RuntimeException e) {
                result.put("goals", "not computed: " + e); // a failed cold-start target has no numbers
            }
        }
        result.put("table", table.lines());

        Files.createDirectories(options.out().getParent());
        JSON.writeValue(options.out().toFile(), result);
        System.out.println();
        System.out.println(String.join("\n", table.lines()));
        System.out.println();
        System.out.println("Written to " + options.root().relativize(options.out().toAbsolutePath()));
    }

    // ------------------------------------------------------------------------------------------
    // 1. Throughput: the authorizer's whole path, raw Signature.verify, OpenSSL, aws-jwt-verify
    // ------------------------------------------------------------------------------------------

    private void throughput(Artifacts artifacts, SamTemplate template) throws Exception {
        Path dir = Files.createDirectories(work.resolve("throughput"));
        writeTokenAndJwks(dir);
        List<Path> withAccp = new ArrayList<>(deployedClasspath(artifacts, template, "AuthorizerFunction"));
        withAccp.add(benchClasses());
        List<Path> withoutAccp = withAccp.stream().filter(p -> !p.getFileName().toString().contains("AmazonCorrettoCryptoProvider")).toList();
        if (withoutAccp.size() == withAccp.size()) {
            throw new IllegalStateException("ACCP's jar is not in the authorizer's artifact");
        }

        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Stats> byKey = new LinkedHashMap<>();
        for (String jit : List.of("c1", "default")) {
            List<String> flags = jit.equals("c1") ? List.of("-XX:+TieredCompilation", C1) : List.of();
            String jitLabel = jit.equals("c1") ? "C1 only (TieredStopAtLevel=1)" : "default JIT (C1+C2)";
            measureJava(rows, byKey, "authorizer-accp-" + jit, "authorizer full path (event -> policy), ACCP", jitLabel, flags, withAccp, "handler", dir);
            measureJava(rows, byKey, "authorizer-jdk-" + jit, "authorizer full path (event -> policy), JDK provider (no ACCP jar: the fallback)",
                    jitLabel, flags, withoutAccp, "handler", dir);
            if (jit.equals("c1")) {
                // where the full path's time goes: each stage alone, same token, same JVM flags (ACCP)
                for (String stage : STAGES) {
                    measureJava(rows, byKey, "stage-" + stage + "-c1", "  stage: " + STAGE_NAMES.get(stage), jitLabel, flags, withAccp,
                            "stage-" + stage, dir);
                }
            }
            measureJava(rows, byKey, "raw-accp-" + jit, "Signature.verify SHA256withRSA 2048, ACCP", jitLabel, flags, withAccp, "raw-accp", dir);
            measureJava(rows, byKey, "raw-jdk-" + jit, "Signature.verify SHA256withRSA 2048, JDK (SunRsaSign)", jitLabel, flags, withoutAccp, "raw-jdk", dir);
        }
        Stats openssl = openssl();
        byKey.put("openssl", openssl);
        rows.add(row("openssl", "openssl speed rsa2048, verify (its default: per user-CPU second)", Machine.command("openssl", "version"),
                openssl, null));
        List<List<Double>> node = node(dir);
        byKey.put("aws-jwt-verify", Stats.of(node.get(0)));
        rows.add(row("aws-jwt-verify", "aws-jwt-verify verifySync, same token (Node.js)", nodeLabel, Stats.of(node.get(0)), Stats.of(node.get(1))));

        Map<String, Object> ratios = new LinkedHashMap<>();
        ratio(ratios, byKey, "authorizer-accp-c1", "openssl");
        ratio(ratios, byKey, "authorizer-accp-c1", "aws-jwt-verify");
        ratio(ratios, byKey, "authorizer-accp-default", "openssl");
        ratio(ratios, byKey, "authorizer-accp-default", "aws-jwt-verify");
        ratio(ratios, byKey, "authorizer-accp-c1", "authorizer-jdk-c1");
        ratio(ratios, byKey, "authorizer-accp-default", "authorizer-jdk-default");
        ratio(ratios, byKey, "raw-accp-c1", "openssl");
        ratio(ratios, byKey, "raw-jdk-c1", "openssl");
        ratio(ratios, byKey, "authorizer-accp-c1", "raw-accp-c1");
        // the stages' CPU µs add up to about the full path's (each measured alone: their sum is the check)
        double stageMicros = STAGES.stream().mapToDouble(st -> 1e6 / byKey.get("stage-" + st + "-c1").median()).sum();
        ratios.put("sum of the stages' CPU µs / full path's (C1, ACCP)", Stats.round(stageMicros / (1e6 / byKey.get("authorizer-accp-c1").median()), 3));
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("rows", rows);
        section.put("ratios", ratios);
        result.put("throughput", section);
        this.throughputStats = byKey;

        table.section("1. Throughput on one valid token: one thread; operations per CPU-second of the process (user + system,"
                + " as openssl speed counts), median of " + options.rounds() + " rounds of " + options.roundMillis() + " ms after "
                + options.warmUpMillis() + " ms warm-up, a separate process each; wall-clock rate for reference");
        table.header("what", "JIT / runtime", "ops/CPU-s", "CPU µs/op", "spread (min–max)", "ops/wall-s");
        for (Map<String, Object> r : rows) {
            Stats s = (Stats) r.get("stats");
            Stats wall = (Stats) r.get("wall");
            table.row(String.valueOf(r.get("name")), String.valueOf(r.get("runtime")), fmt(s.median(), 0), fmt(1e6 / s.median(), 1),
                    fmt(s.min(), 0) + "–" + fmt(s.max(), 0), wall == null ? "–" : fmt(wall.median(), 0));
        }
        table.blank();
        table.header("ratio (ops/CPU-s)", "", "value", "", "", "");
        ratios.forEach((k, v) -> table.row(k, "", fmt((Double) v, 2) + "x", "", "", ""));
        rows.forEach(r -> {
            r.put("opsPerCpuSecond", ((Stats) r.remove("stats")).json(1));
            Object wall = r.remove("wall");
            if (wall != null) {
                r.put("opsPerWallSecond", ((Stats) wall).json(1));
            }
        });
    }

    private static final List<String> STAGES = List.of("decode", "signature", "claims", "policy", "codec");
    private static final Map<String, String> STAGE_NAMES = Map.of(
            "decode", "decode (strict parse: segments, base64url incl. the signature's, JSON, header and claim types)",
            "signature", "signature (Rs256 on the parse: SHA-256, RSA)",
            "claims", "claims (java-jwt's checks on the parse, no signature)",
            "policy", "policy (method ARN, decision, cached resources)",
            "codec", "codec (event JSON in, policy JSON out)");

    // ------------------------------------------------------------------------------------------
    // 6. Authorizer cache hit ratio under a realistic mix (simulated: see AuthorizerCacheSimulation)
    // ------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private void cacheHit(SamTemplate template) {
        System.err.println("[bench] authorizer cache: simulating the traffic model, seed " + options.cacheSeed());
        int defaultTtl = Integer.parseInt(template.parameters().string("AuthorizerCacheTtlSeconds"));
        Map<String, Object> client = template.properties("UserPoolClient", Set.of("AccessTokenValidity", "TokenValidityUnits"));
        Object unit = ((Map<String, Object>) client.get("TokenValidityUnits")).get("AccessToken");
        int validity = Integer.parseInt(String.valueOf(client.get("AccessTokenValidity")))
                * switch (String.valueOf(unit)) {
                    case "seconds" -> 1;
                    case "minutes" -> 60;
                    case "hours" -> 3600;
                    case "days" -> 86_400;
                    default -> throw new IllegalStateException("unknown access token validity unit " + unit);
                };
        List<Integer> ttls = new ArrayList<>(new java.util.TreeSet<>(List.of(0, 60, 300, 3600, defaultTtl)));
        AuthorizerCacheSimulation.Model base = AuthorizerCacheSimulation.base(validity);
        List<AuthorizerCacheSimulation.Model> models = List.of(base,
                base.withNewTokenPerSession().withName("a new token at every session's start"),
                base.withThinkMean(10).withName("quicker: 10 s mean think time"),
                base.withThinkMean(120).withName("slower: 120 s mean think time"),
                // COST.md's monthly route mix has 106 authenticated requests to 48 logins and refreshes: 2.2 per token, as this one
                base.withRequestsPerSession(2).withName("short sessions: 2 requests (the shape of COST.md's route mix)"),
                base.withRequestsPerSession(20).withName("long sessions: 20 requests"));
        table.section("6. Authorizer cache hit ratio under a realistic mix, SIMULATED (not measured): API Gateway's documented TOKEN"
                + " cache (keyed by the token, entry kept TTL seconds from the miss) replayed over a seeded traffic model (seed "
                + options.cacheSeed() + "; bench/.../AuthorizerCacheSimulation.java, docs/COST.md); template defaults:"
                + " AuthorizerCacheTtlSeconds " + defaultTtl + " s, access-token validity " + validity + " s");
        List<String> header = new ArrayList<>(List.of("traffic model", "requests", "requests per token"));
        ttls.forEach(ttl -> header.add("hit ratio, TTL " + ttl + " s" + (ttl == defaultTtl ? " (default)" : "")));
        table.header(header.toArray(String[]::new));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AuthorizerCacheSimulation.Model model : models) {
            AuthorizerCacheSimulation.Outcome outcome = AuthorizerCacheSimulation.run(model, options.cacheSeed(), ttls);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", model.name());
            row.put("parameters", model.json());
            row.put("requests", outcome.requests());
            row.put("tokens", outcome.tokens());
            Map<String, Object> ratios = new LinkedHashMap<>();
            ttls.forEach(ttl -> ratios.put(String.valueOf(ttl), Stats.round(outcome.hitRatio(ttl), 4)));
            row.put("hitRatioByTtlSeconds", ratios);
            rows.add(row);
            List<String> cells = new ArrayList<>(List.of(model.name(), String.valueOf(outcome.requests()),
                    fmt((double) outcome.requests() / outcome.tokens(), 2)));
            ttls.forEach(ttl -> cells.add(fmt(outcome.hitRatio(ttl), 3)));
            table.row(cells.toArray(String[]::new));
        }
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("simulated", true);
        section.put("seed", options.cacheSeed());
        section.put("defaultTtlSeconds", defaultTtl);
        section.put("accessTokenValiditySeconds", validity);
        section.put("cacheSemantics", "API Gateway REST TOKEN authorizer: result cached per token for authorizerResultTtlInSeconds"
                + " from the miss; 0 disables (https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.md)");
        section.put("models", rows);
        result.put("authorizerCache", section);
    }

    // ------------------------------------------------------------------------------------------
    // 5. DynamoDB capacity units per route (deterministic: counted by DynamoDB, not timed)
    // ------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private void capacity() throws Exception {
        System.err.println("[bench] capacity: a local stack with MEASURE_CAPACITY, the scripted mix twice ...");
        Map<String, Object> section = new CapacityRun(options.root(), work.resolve("capacity")).run(2);
        result.put("capacity", section);
        table.section("5. DynamoDB capacity units per request, by route (ReturnConsumedCapacity=INDEXES, counted by DynamoDB Local;"
                + " authorizer cache off, so each authenticated request includes the authorizer's read; 2 users, same in both runs)");
        table.header("route (sequential mix)", "DynamoDB calls", "read units (RRU)", "write units (WRU)",
                "reads reported as 0 units (AWS bills ≥ 0.5 each)", "by operation (units)");
        ((Map<String, Map<String, Object>>) section.get("routes")).forEach((route, r) -> {
            table.row(route, String.valueOf(r.get("calls")), fmt((Double) r.get("readUnits"), 1), fmt((Double) r.get("writeUnits"), 1),
                    String.valueOf(r.get("zeroUnitReads")), r.get("byOperation") + (Boolean.TRUE.equals(r.get("sameInEveryRun")) ? "" : " (differs between runs)"));
        });
    }

    private Map<String, Stats> throughputStats = Map.of();
    private String nodeLabel = "Node.js";

    private void measureJava(List<Map<String, Object>> rows, Map<String, Stats> byKey, String key, String name, String jit,
                             List<String> flags, List<Path> classpath, String mode, Path dir) {
        System.err.println("[bench] throughput: " + key);
        List<String> command = new ArrayList<>();
        command.add(javaBin.toString());
        command.addAll(flags);
        command.add("-cp");
        command.add(join(classpath));
        command.add(AuthorizerThroughput.class.getName());
        command.addAll(List.of(mode, dir.toString(), String.valueOf(options.warmUpMillis()), String.valueOf(options.roundMillis()),
                String.valueOf(options.rounds())));
        Child.Result r = Child.runOrFail(command, lambdaLikeEnv(), dir, 600);
        List<List<Double>> rounds = rounds(r);
        Stats stats = Stats.of(rounds.get(0));
        byKey.put(key, stats);
        Map<String, Object> row = row(key, name, jit, stats, Stats.of(rounds.get(1)));
        row.put("provider", r.lines("BENCH-PROVIDER").stream().findFirst().orElse("?"));
        rows.add(row);
    }

    /** Per round: operations per CPU-second of the process (index 0) and per wall-clock second (index 1). */
    private static List<List<Double>> rounds(Child.Result r) {
        List<Double> perCpu = new ArrayList<>();
        List<Double> perWall = new ArrayList<>();
        for (String line : r.lines("BENCH-ROUND")) {
            Map<String, String> kv = keyValues(line);
            double ops = Double.parseDouble(kv.get("ops"));
            perCpu.add(ops / (Double.parseDouble(kv.get("cpuNanos")) / 1e9));
            perWall.add(ops / (Double.parseDouble(kv.get("nanos")) / 1e9));
        }
        if (perCpu.isEmpty()) {
            throw new IllegalStateException("no rounds: " + r.describe());
        }
        return List.of(perCpu, perWall);
    }

    private static Map<String, Object> row(String key, String name, String runtime, Stats perCpuSecond, Stats perWallSecond) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("key", key);
        row.put("name", name);
        row.put("runtime", runtime);
        row.put("stats", perCpuSecond);
        row.put("wall", perWallSecond);
        row.put("cpuMicrosPerOp", Stats.round(1e6 / perCpuSecond.median(), 2));
        return row;
    }

    private static void ratio(Map<String, Object> ratios, Map<String, Stats> byKey, String a, String b) {
        ratios.put(a + " / " + b, Stats.round(byKey.get(a).median() / byKey.get(b).median(), 3));
    }

    private Stats openssl() {
        System.err.println("[bench] throughput: openssl speed");
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < options.rounds(); i++) {
            Child.Result r = Child.runOrFail(List.of("openssl", "speed", "-seconds", String.valueOf(options.opensslSeconds()), "rsa2048"),
                    Map.of(), work, 300);
            values.add(opensslVerifyPerSecond(r.stdout()));
        }
        return Stats.of(values);
    }

    /** The verify/s column of {@code openssl speed rsa2048}'s summary ("rsa 2048 bits ... sign/s verify/s"). */
    static double opensslVerifyPerSecond(List<String> lines) {
        List<String> columns = null;
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.contains("verify/s")) {
                columns = List.of(trimmed.split("\\s+"));
            } else if (columns != null && trimmed.startsWith("rsa 2048 bits")) {
                String[] values = trimmed.substring("rsa 2048 bits".length()).trim().split("\\s+");
                int index = columns.indexOf("verify/s");
                return Double.parseDouble(values[index]);
            }
        }
        throw new IllegalStateException("no 'rsa 2048 bits' verify/s line in openssl's output:\n" + String.join("\n", lines));
    }

    private List<List<Double>> node(Path dir) {
        System.err.println("[bench] throughput: aws-jwt-verify");
        Path script = options.root().resolve("bench/node/verify.mjs");
        if (!Files.isDirectory(options.root().resolve("bench/node/node_modules/aws-jwt-verify"))) {
            throw new IllegalStateException("bench/node has no node_modules: run npm ci there (scripts/benchmark.sh does)");
        }
        Child.Result r = Child.runOrFail(List.of("node", script.toString(), dir.toString(), String.valueOf(options.warmUpMillis()),
                String.valueOf(options.roundMillis()), String.valueOf(options.rounds())), Map.of(), dir, 600);
        nodeLabel = r.lines("BENCH-PROVIDER").stream().findFirst().orElse("Node.js");
        return rounds(r);
    }

    /** A 2048-bit key, its JWKS, and a Cognito-shaped access token signed with it, as files for the children. */
    private static void writeTokenAndJwks(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAPublicKey key = (RSAPublicKey) pair.getPublic();
        String kid = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("alg", "RS256");
        jwk.put("e", b64(unsigned(key.getPublicExponent().toByteArray())));
        jwk.put("kid", kid);
        jwk.put("kty", "RSA");
        jwk.put("n", b64(unsigned(key.getModulus().toByteArray())));
        jwk.put("use", "sig");
        long now = Instant.now().getEpochSecond();
        String sub = UUID.randomUUID().toString();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", sub);
        claims.put("cognito:groups", List.of("user"));
        claims.put("iss", ISSUER);
        claims.put("version", 2);
        claims.put("client_id", CLIENT_ID);
        claims.put("origin_jti", UUID.randomUUID().toString());
        claims.put("event_id", UUID.randomUUID().toString());
        claims.put("token_use", "access");
        claims.put("scope", "aws.cognito.signin.user.admin");
        claims.put("auth_time", now);
        claims.put("exp", now + 4 * 3600);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("username", sub);
        String input = b64(JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(Map.of("kid", kid, "alg", "RS256")))
                + "." + b64(JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(claims));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(pair.getPrivate());
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        String token = input + "." + b64(signer.sign());
        Files.writeString(dir.resolve("token.txt"), token);
        Files.writeString(dir.resolve("jwks.json"), JSON.writer().without(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(Map.of("keys", List.of(jwk))));
        Files.writeString(dir.resolve("issuer.txt"), ISSUER);
        Files.writeString(dir.resolve("user-pool-id.txt"), POOL_ID);
        Files.writeString(dir.resolve("client-id.txt"), CLIENT_ID);
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ------------------------------------------------------------------------------------------
    // 2. Cold starts
    // ------------------------------------------------------------------------------------------

    record BenchUser(String email, String sub, String accessToken) {
    }

    private DevStack startStack() {
        System.err.println("[bench] starting the local stack (DynamoDB Local, cognito-local) ...");
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("UniformResponseMillis", "0");
        overrides.put("AuthorizerCacheTtlSeconds", "0");
        overrides.put("ThrottlingRateLimit", "1000000");
        overrides.put("ThrottlingBurstLimit", "1000000");
        overrides.put("AuthThrottlingRateLimit", "1000000");
        overrides.put("AuthThrottlingBurstLimit", "1000000");
        // the web ACL's per-IP rate rules (issue 17): every request of the benchmark comes from 127.0.0.1
        overrides.put("WafAuthRequestsPerIp", "2000000000");
        overrides.put("WafRequestsPerIp", "2000000000");
        result.put("localStackOverrides", overrides);
        return DevStack.start(StackOptions.defaults(options.root()).withoutAdmin().withParameterOverrides(overrides));
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private BenchUser benchUser(DevStack stack) throws Exception {
        String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        post(stack, "/auth/sign-up", Map.of("email", email, "password", PASSWORD, "name", "Bench"), 202);
        String code = stack.outbox().messages(Optional.of(email)).stream().filter(m -> m.kind().equals("SIGN_UP"))
                .map(OutboxMessage::code).findFirst().orElseThrow(() -> new IllegalStateException("no confirmation code for " + email));
        post(stack, "/auth/confirm", Map.of("email", email, "code", code, "password", PASSWORD), 200);
        JsonNode tokens = post(stack, "/auth/login", Map.of("email", email, "password", PASSWORD), 200);
        String accessToken = tokens.path("accessToken").asText();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
        return new BenchUser(email, claims.path("sub").asText(), accessToken);
    }

    private static JsonNode post(DevStack stack, String path, Map<String, String> body, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private record ColdTarget(String key, String functionId, String handler, List<Path> classpath, Map<String, String> env,
                              java.util.function.Supplier<Path> event, Predicate<String> answerIsRight) {
    }

    private void coldStarts(Artifacts artifacts, SamTemplate template, DevStack stack, BenchUser user) throws Exception {
        Path dir = Files.createDirectories(work.resolve("cold"));
        Map<String, LambdaFunction> functions = new LinkedHashMap<>();
        stack.functions().forEach(f -> functions.put(f.id(), f));
        CognitoIdentityProviderClient cognito = CognitoIdentityProviderClient.builder()
                .region(Region.of(DevStack.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(stack.cognitoCompatEndpoint()))
                .build();

        List<Path> runtime = runtimeJars();
        List<ColdTarget> targets = new ArrayList<>();
        Map<String, String> authorizerEnv = functions.get("AuthorizerFunction").environment();

        // The baseline: SAM's hello world, the runtime's jars and aws-lambda-java-events only.
        List<Path> helloCp = new ArrayList<>(runtime);
        helloCp.add(jar("aws-lambda-java-core"));
        helloCp.add(jar("aws-lambda-java-events"));
        Map<String, String> helloEnv = new LinkedHashMap<>();
        for (String k : List.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "JAVA_TOOL_OPTIONS")) {
            helloEnv.put(k, authorizerEnv.get(k));
        }
        helloEnv.put("AWS_LAMBDA_FUNCTION_NAME", "HelloWorldFunction");
        Path healthEvent = options.root().resolve("events/health.json");
        targets.add(new ColdTarget("hello-world", "HelloWorldFunction", HelloWorldHandler.class.getName() + "::handleRequest", helloCp,
                helloEnv, () -> healthEvent, a -> a.contains("\"statusCode\":200")));

        String methodArn = "arn:aws:execute-api:" + DevStack.REGION + ":" + DevStack.ACCOUNT_ID + ":" + DevStack.API_ID + "/"
                + stack.stage() + "/GET/me";
        Path authorizerEvent = writeEvent(dir, "authorizer.json", "events/authorizer.json", e -> {
            e.put("authorizationToken", "Bearer " + user.accessToken());
            e.put("methodArn", methodArn);
        });
        targets.add(target("authorizer", "AuthorizerFunction", artifacts, template, functions, runtime, () -> authorizerEvent,
                a -> a.contains("\"Allow\"") && a.contains(user.sub())));
        AtomicInteger confirmations = new AtomicInteger();
        // The app client is confidential (the API is its only user: issue 17), so a sign-up carries its SECRET_HASH.
        String clientSecret = cognito.describeUserPoolClient(r -> r.userPoolId(stack.userPoolId()).clientId(stack.userPoolClientId()))
                .userPoolClient().clientSecret();
        targets.add(target("post-confirmation", "PostConfirmationFunction", artifacts, template, functions, runtime, () -> {
            // a new Cognito user each run, so the trigger really creates a profile (its first DynamoDB write)
            String email = "bench-confirm-" + confirmations.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            String sub = cognito.signUp(r -> r.clientId(stack.userPoolClientId()).username(email).password(PASSWORD)
                    .secretHash(clientSecret == null || clientSecret.isEmpty() ? null
                            : dev.userapi.identity.SecretHash.of(clientSecret, email, stack.userPoolClientId()))
                    .userAttributes(AttributeType.builder().name("email").value(email).build(),
                            AttributeType.builder().name("name").value("Bench").build())).userSub();
            return writeEvent(dir, "post-confirmation.json", "events/post-confirmation.json", e -> {
                e.put("userPoolId", stack.userPoolId());
                e.put("userName", sub);
                ObjectNode attributes = (ObjectNode) e.path("request").path("userAttributes");
                attributes.put("sub", sub);
                attributes.put("email", email);
                attributes.put("cognito:email_alias", email);
                ((ObjectNode) e.path("callerContext")).put("clientId", stack.userPoolClientId());
            });
        }, a -> a.contains("PostConfirmation_ConfirmSignUp")));
        Path preTokenEvent = writeEvent(dir, "pre-token-generation.json", "events/pre-token-generation.json", e -> {
            e.put("userPoolId", stack.userPoolId());
            e.put("userName", user.sub());
            ObjectNode attributes = (ObjectNode) e.path("request").path("userAttributes");
            attributes.put("sub", user.sub());
            attributes.put("email", user.email());
            ((ObjectNode) e.path("callerContext")).put("clientId", stack.userPoolClientId());
        });
        targets.add(target("pre-token-generation", "PreTokenGenerationFunction", artifacts, template, functions, runtime,
                () -> preTokenEvent, a -> a.contains("\"roles\":\"user\"")));
        Path getMeEvent = writeEvent(dir, "get-me.json", "events/get-me.json", e -> {
            ((ObjectNode) e.path("headers")).put("Authorization", "Bearer " + user.accessToken());
            ((ObjectNode) e.path("multiValueHeaders")).putArray("Authorization").add("Bearer " + user.accessToken());
            ObjectNode authorizer = (ObjectNode) e.path("requestContext").path("authorizer");
            authorizer.put("principalId", user.sub());
            authorizer.put("sub", user.sub());
            authorizer.put("username", user.sub());
            ((ObjectNode) e.path("requestContext")).put("stage", stack.stage());
        });
        targets.add(target("get-me", "GetMeFunction", artifacts, template, functions, runtime, () -> getMeEvent,
                a -> a.contains("\"statusCode\":200") && a.contains(user.email())));
        // The authorizer again without ACCP's jar: what loading the native provider costs at a cold start.
        ColdTarget authorizer = targets.get(1);
        targets.add(new ColdTarget("authorizer-without-accp", "AuthorizerFunction", authorizer.handler(),
                authorizer.classpath().stream().filter(p -> !p.getFileName().toString().contains("AmazonCorrettoCryptoProvider")).toList(),
                authorizer.env(), authorizer.event(), authorizer.answerIsRight()));
        // The authorizer as a typed RequestHandler: what the streaming entry point saves (the runtime's serialisation).
        List<Path> typedCp = new ArrayList<>(authorizer.classpath());
        typedCp.add(options.root().resolve("bench/target/classes"));
        targets.add(new ColdTarget("authorizer-runtime-serialisation", "AuthorizerFunction",
                TypedAuthorizerHandler.class.getName() + "::handleRequest", typedCp,
                authorizer.env(), authorizer.event(), authorizer.answerIsRight()));

        // First invocation after priming (issue 21): the priming hooks run in the fresh JVM, then the first event is timed.
        Path updateMeEvent = writeEvent(dir, "update-me.json", "events/update-me.json", e -> {
            ((ObjectNode) e.path("headers")).put("Authorization", "Bearer " + user.accessToken());
            ((ObjectNode) e.path("headers")).remove("If-Match");
            ((ObjectNode) e.path("multiValueHeaders")).remove("If-Match");
            ((ObjectNode) e.path("multiValueHeaders")).putArray("Authorization").add("Bearer " + user.accessToken());
            ObjectNode context = (ObjectNode) e.path("requestContext").path("authorizer");
            context.put("principalId", user.sub());
            context.put("sub", user.sub());
            context.put("username", user.sub());
            ((ObjectNode) e.path("requestContext")).put("stage", stack.stage());
            e.put("body", "{\"name\":\"Bench primed\"}");
        });
        Path loginEvent = writeEvent(dir, "login.json", "events/login.json", e ->
                e.put("body", "{\"email\":\"" + user.email() + "\",\"password\":\"" + PASSWORD + "\"}"));
        List<ColdTarget> primed = new ArrayList<>();
        for (ColdTarget t : List.of(targets.get(1), targets.get(2), targets.get(3), targets.get(4))) {
            primed.add(new ColdTarget(t.key() + PRIMED, t.functionId(), t.handler(), t.classpath(), t.env(), t.event(), t.answerIsRight()));
        }
        primed.add(target("update-me" + PRIMED, "UpdateMeFunction", artifacts, template, functions, runtime, () -> updateMeEvent,
                a -> a.contains("\"statusCode\":200") && a.contains("Bench primed")));
        primed.add(target("login" + PRIMED, "LoginFunction", artifacts, template, functions, runtime, () -> loginEvent,
                a -> a.contains("\"statusCode\":200") && a.contains("accessToken")));
        targets.addAll(primed);

        Map<String, Map<String, List<Double>>> phases = new LinkedHashMap<>();
        targets.forEach(t -> phases.put(t.key(), new LinkedHashMap<>()));
        // Interleaved (one run of each target per pass), so a burst of load elsewhere hits every target alike.
        for (int run = 0; run < options.coldRuns(); run++) {
            for (ColdTarget t : targets) {
                System.err.println("[bench] cold start " + (run + 1) + "/" + options.coldRuns() + ": " + t.key());
                Map<String, Double> measured;
                try {
                    measured = coldStart(t, dir);
                } catch (IllegalStateException e) {
                    // one broken target must not lose the whole run: recorded, and its row says so
                    System.err.println("[bench] " + e.getMessage());
                    coldFailures.merge(t.key(), 1, Integer::sum);
                    result.put("coldStartFailures", coldFailures);
                    continue;
                }
                measured.forEach((phase, value) -> phases.get(t.key()).computeIfAbsent(phase, p -> new ArrayList<>()).add(value));
            }
        }
        cognito.close();

        double hello = Stats.of(phases.get("hello-world").get("total")).median();
        List<Map<String, Object>> rows = new ArrayList<>();
        table.section("2. Cold start, whole process: fresh JVM (JAVA_TOOL_OPTIONS from template.yaml: " + authorizerEnv.get("JAVA_TOOL_OPTIONS")
                + "), handler loaded by reflection, one event against the local services; median of " + options.coldRuns() + " runs");
        table.header("function", "process start -> response", "JVM start -> main", "init (constructor)", "first invoke", "x hello world");
        for (ColdTarget t : targets) {
            if (t.key().endsWith(PRIMED)) {
                continue;
            }
            if (phases.get(t.key()).isEmpty()) {
                table.row(t.key(), "failed (coldStartFailures in the JSON)", "", "", "", "");
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", t.key());
            row.put("function", t.functionId());
            row.put("handler", t.handler());
            Map<String, Stats> stats = new LinkedHashMap<>();
            phases.get(t.key()).forEach((phase, values) -> stats.put(phase, Stats.of(values)));
            stats.forEach((phase, s) -> row.put(phase + "Millis", s.json(1)));
            row.put("ratioToHelloWorld", Stats.round(stats.get("total").median() / hello, 2));
            row.put("classpath", t.classpath().stream().map(p -> options.root().relativize(p.toAbsolutePath()).toString()).toList());
            rows.add(row);
            table.row(t.key(), ms(stats.get("total")), ms(stats.get("jvm")), ms(stats.get("init")), ms(stats.get("invoke")),
                    fmt(stats.get("total").median() / hello, 2) + "x");
        }
        List<Map<String, Object>> primedRows = new ArrayList<>();
        table.section("2b. First invocation after priming (issue 21): fresh JVM as above, then the SnapStart priming hooks"
                + " (beforeCheckpoint / Priming.primeAll) run, then the first event is timed; the restore itself is not measured"
                + " (no CRaC JVM here); median of " + options.coldRuns() + " runs");
        table.header("function", "init (constructor)", "priming hooks", "first invoke after priming", "first invoke unprimed (above)", "");
        for (ColdTarget t : primed) {
            if (phases.get(t.key()).isEmpty()) {
                table.row(t.key(), "failed (coldStartFailures in the JSON)", "", "", "", "");
                continue;
            }
            Map<String, Stats> stats = new LinkedHashMap<>();
            phases.get(t.key()).forEach((phase, values) -> stats.put(phase, Stats.of(values)));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", t.key());
            row.put("function", t.functionId());
            stats.forEach((phase, st) -> row.put(phase + "Millis", st.json(1)));
            primedRows.add(row);
            String base = t.key().substring(0, t.key().length() - PRIMED.length());
            Map<String, List<Double>> unprimed = phases.get(base);
            table.row(t.key(), ms(stats.get("init")), ms(stats.get("prime")), ms(stats.get("invoke")),
                    unprimed == null || unprimed.isEmpty() ? "–" : ms(Stats.of(unprimed.get("invoke"))), "");
        }
        result.put("firstInvocationAfterPriming", primedRows);
        memoryTable(targets, functions);
        coldStats = phases;
        result.put("coldStart", rows);
    }

    private Map<String, Map<String, List<Double>>> coldStats = Map.of();
    private static final String PRIMED = "-primed";
    private final Map<String, Integer> coldFailures = new LinkedHashMap<>();

    private ColdTarget target(String key, String functionId, Artifacts artifacts, SamTemplate template, Map<String, LambdaFunction> functions,
                              List<Path> runtime, java.util.function.Supplier<Path> event, Predicate<String> answerIsRight) {
        List<Path> classpath = new ArrayList<>(runtime);
        classpath.addAll(deployedClasspath(artifacts, template, functionId));
        LambdaFunction function = functions.get(functionId);
        return new ColdTarget(key, functionId, function.definition().handler(), classpath, function.environment(), event, answerIsRight);
    }

    private Map<String, Double> coldStart(ColdTarget target, Path dir) {
        Path event = target.event().get();
        List<String> command = new ArrayList<>();
        command.add(javaBin.toString());
        command.addAll(options.coldJvmOptions().stream().map(o -> o.replace("{key}", target.key())).toList());
        if (target.key().endsWith(PRIMED)) {
            command.add("-Dbench.prime=true");
        }
        command.add("-Dbench.warm=" + options.memoryInvocations());
        command.addAll(List.of("-cp", join(target.classpath()), LambdaLauncher.class.getName(), target.handler(), event.toString()));
        Child.Result r = Child.run(command, target.env(), dir, 120);
        List<String> cold = r.lines("BENCH-COLD");
        List<String> answer = r.lines("BENCH-RESPONSE");
        if (r.exitCode() != 0 || cold.isEmpty() || answer.isEmpty() || !target.answerIsRight().test(answer.get(0))) {
            throw new IllegalStateException("cold start of " + target.key() + " failed or answered wrongly: " + r.describe());
        }
        recordMemory(target, r);
        Map<String, String> kv = keyValues(cold.get(0));
        long main = Long.parseLong(kv.get("main"));
        long init = Long.parseLong(kv.get("init"));
        long response = Long.parseLong(kv.get("response"));
        long primedAt = Long.parseLong(kv.getOrDefault("primed", kv.get("init")));
        Map<String, Double> phases = new LinkedHashMap<>();
        phases.put("total", (response - r.startedAtMicros()) / 1000.0);
        phases.put("jvm", (main - r.startedAtMicros()) / 1000.0);
        phases.put("init", (init - main) / 1000.0);
        phases.put("prime", (primedAt - init) / 1000.0);
        phases.put("invoke", (response - primedAt) / 1000.0);
        return phases;
    }

    /** The launcher's BENCH-MEMORY figures of one run, in MB (peak RSS "n/a" = absent: not Linux), into {@link #memoryStats}. */
    private void recordMemory(ColdTarget target, Child.Result r) {
        List<String> lines = r.lines("BENCH-MEMORY");
        if (lines.isEmpty()) {
            return;
        }
        Map<String, String> kv = keyValues(lines.get(0));
        Map<String, List<Double>> mine = memoryStats.computeIfAbsent(target.key(), k -> new LinkedHashMap<>());
        for (String phase : List.of("first", "warm")) {
            long rss = Long.parseLong(kv.getOrDefault(phase + "PeakRssKb", "-1"));
            if (rss >= 0) {
                mine.computeIfAbsent(phase + "PeakRssMb", k -> new ArrayList<>()).add(rss / 1024.0);
            }
            for (String metric : List.of("HeapUsedAfterGc", "NonHeapUsed", "HeapCommitted")) {
                String value = kv.get(phase + metric + "Bytes");
                if (value != null) {
                    mine.computeIfAbsent(phase + metric + "Mb", k -> new ArrayList<>()).add(Long.parseLong(value) / 1048576.0);
                }
            }
        }
        mine.computeIfAbsent("maxHeapMb", k -> new ArrayList<>()).add(Long.parseLong(kv.get("maxHeapBytes")) / 1048576.0);
        mine.computeIfAbsent("warmErrors", k -> new ArrayList<>()).add(Double.parseDouble(kv.get("warmErrors")));
        String lastWarm = r.lines("BENCH-WARM-RESPONSE").stream().findFirst().orElse("");
        boolean right = Integer.parseInt(kv.get("warm")) == 0 || target.answerIsRight().test(lastWarm);
        mine.computeIfAbsent("warmAnswerWrong", k -> new ArrayList<>()).add(right ? 0.0 : 1.0);
    }

    private final Map<String, Map<String, List<Double>>> memoryStats = new LinkedHashMap<>();

    /**
     * 2c: the memory each function kind uses (REPORT's {@code Max Memory Used}, locally): peak RSS and live heap after the
     * first event and after the warm series, median over the cold runs, next to the template's MemorySize.
     */
    private void memoryTable(List<ColdTarget> targets, Map<String, LambdaFunction> functions) {
        table.section("2c. Memory used per function (the local analogue of REPORT's Max Memory Used), fresh JVM of section 2 / 2b:"
                + " peak RSS (VmHWM of /proc/self/status; n/a off Linux) and heap in use after a full GC (the live set), after the"
                + " first event and after " + options.memoryInvocations() + " more invocations of it; median of " + options.coldRuns()
                + " runs, MB; the child's max heap is the JVM default for this machine, not Lambda's");
        table.header("function", "MemorySize", "after 1st: peak RSS / live heap", "after warm: peak RSS / live heap / non-heap",
                "warm errors", "max heap");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ColdTarget t : targets) {
            Map<String, List<Double>> m = memoryStats.get(t.key());
            if (m == null || m.isEmpty()) {
                continue;
            }
            LambdaFunction function = functions.get(t.functionId());
            Integer memorySize = function == null ? null : function.definition().memorySizeMb();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", t.key());
            row.put("function", t.functionId());
            row.put("memorySizeMb", memorySize);
            row.put("warmInvocations", options.memoryInvocations());
            m.forEach((metric, values) -> row.put(metric, Stats.of(values).json(1)));
            rows.add(row);
            table.row(t.key(), memorySize == null ? "–" : memorySize + " MB",
                    mb(m.get("firstPeakRssMb")) + " / " + mb(m.get("firstHeapUsedAfterGcMb")),
                    mb(m.get("warmPeakRssMb")) + " / " + mb(m.get("warmHeapUsedAfterGcMb")) + " / " + mb(m.get("warmNonHeapUsedMb")),
                    fmt(m.get("warmErrors").stream().mapToDouble(Double::doubleValue).sum(), 0)
                            + (m.get("warmAnswerWrong").stream().anyMatch(v -> v > 0) ? " (last answer wrong)" : ""),
                    mb(m.get("maxHeapMb")));
        }
        result.put("memoryUsed", rows);
    }

    private static String mb(List<Double> values) {
        return values == null || values.isEmpty() ? "n/a" : fmt(Stats.of(values).median(), 1);
    }

    private Path writeEvent(Path dir, String name, String template, java.util.function.Consumer<ObjectNode> edit) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(options.root().resolve(template).toFile());
            edit.accept(event);
            Path file = dir.resolve(name);
            JSON.writeValue(file.toFile(), event);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the Lambda Java runtime itself brings, not the function: the launcher standing in for the runtime
     * client with its stand-in {@code Context} (the lambda-context module: one class, not the local stack), and the
     * serialisation library it converts events with (which needs joda-time for its date mix-ins).
     */
    private List<Path> runtimeJars() {
        return List.of(benchClasses(), options.root().resolve("lambda-context/target/classes"), jar("aws-lambda-java-serialization"),
                jar("joda-time"));
    }

    private Path benchClasses() {
        return options.root().resolve("bench/target/classes");
    }

    private Path jar(String artifactId) {
        return ownClasspath.stream().filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(artifactId) + "-[0-9].*\\.jar"))
                .findFirst().orElseThrow(() -> new IllegalStateException(artifactId + " is not on the driver's classpath"));
    }

    // ------------------------------------------------------------------------------------------
    // 3. Warm latency through the local gateway
    // ------------------------------------------------------------------------------------------

    private void warmLatency(DevStack stack, BenchUser user) throws Exception {
        URI me = URI.create(stack.apiUrl() + "/me");
        HttpRequest request = HttpRequest.newBuilder(me).header("Authorization", "Bearer " + user.accessToken())
                .header("Origin", "http://localhost:3000").GET().build();
        // Goal 4 (issue 21): the server-side time inside the functions, each invocation's duration as Lambda's REPORT line
        // gives it (the emulator records it: LambdaFunction.durations), for GET /me's function and the authorizer.
        LambdaFunction getMe = stack.functions().stream().filter(f -> f.id().equals("GetMeFunction")).findFirst().orElseThrow();
        LambdaFunction authorizer = stack.functions().stream().filter(f -> f.id().equals("AuthorizerFunction")).findFirst().orElseThrow();
        System.err.println("[bench] warm latency: warming up");
        latencyRound(request, 4, Math.max(200, options.latencyRequests() / 4));
        List<Map<String, Object>> rows = new ArrayList<>();
        table.section("3. Warm latency, GET /me through the local gateway (authorizer on every request: AuthorizerCacheTtlSeconds=0); "
                + options.latencyRequests() + " requests per round, median of " + options.latencyRounds() + " rounds; and the time inside"
                + " the functions (each invocation's duration as Lambda's REPORT line gives it, recorded by the local Lambda emulator)");
        table.header("clients", "p50", "p99", "max", "requests/s", "errors", "GetMeFunction p50 / p99", "AuthorizerFunction p50 / p99");
        for (int clients : List.of(1, 16)) {
            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            List<Double> max = new ArrayList<>();
            List<Double> rps = new ArrayList<>();
            List<Double> fnP50 = new ArrayList<>();
            List<Double> fnP99 = new ArrayList<>();
            List<Double> authP50 = new ArrayList<>();
            List<Double> authP99 = new ArrayList<>();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            int errors = 0;
            for (int round = 0; round < options.latencyRounds(); round++) {
                System.err.println("[bench] warm latency: " + clients + " client(s), round " + (round + 1));
                getMe.durations().drain();
                authorizer.durations().drain();
                LatencyRound r = latencyRound(request, clients, options.latencyRequests());
                InvocationDurations.Drained getMeDrained = getMe.durations().drainWithCpu();
                InvocationDurations.Drained authorizerDrained = authorizer.durations().drainWithCpu();
                List<Double> inside = millis(getMeDrained.wallNanos());
                List<Double> insideAuthorizer = millis(authorizerDrained.wallNanos());
                cpuPercentiles(cpu, "GetMeFunction", getMeDrained.cpuNanos());
                cpuPercentiles(cpu, "AuthorizerFunction", authorizerDrained.cpuNanos());
                p50.add(Stats.percentile(r.millis(), 50));
                p99.add(Stats.percentile(r.millis(), 99));
                max.add(Stats.percentile(r.millis(), 100));
                rps.add(r.millis().size() / r.seconds());
                fnP50.add(Stats.percentile(inside, 50));
                fnP99.add(Stats.percentile(inside, 99));
                authP50.add(Stats.percentile(insideAuthorizer, 50));
                authP99.add(Stats.percentile(insideAuthorizer, 99));
                errors += r.errors();
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("clients", clients);
            row.put("requestsPerRound", options.latencyRequests());
            row.put("rounds", options.latencyRounds());
            row.put("p50Millis", Stats.of(p50).json(2));
            row.put("p99Millis", Stats.of(p99).json(2));
            row.put("maxMillis", Stats.of(max).json(2));
            row.put("requestsPerSecond", Stats.of(rps).json(0));
            row.put("errors", errors);
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("GetMeFunction", inside(fnP50, fnP99, cpu, "GetMeFunction"));
            server.put("AuthorizerFunction", inside(authP50, authP99, cpu, "AuthorizerFunction"));
            server.put("cpuTimeMeasured", InvocationDurations.cpuTimeMeasured());
            row.put("insideTheFunctions", server);
            insideRows.put(clients, List.of(Stats.of(fnP50), Stats.of(fnP99), Stats.of(authP50), Stats.of(authP99)));
            insideCpu.put(clients, cpu);
            rows.add(row);
            latencyStats.put(clients, Stats.of(p99));
            serverSideP99.put(clients, Stats.of(fnP99));
            if (!cpu.getOrDefault("GetMeFunction p99", List.of()).isEmpty()) {
                serverSideCpuP99.put(clients, Stats.of(cpu.get("GetMeFunction p99")));
            }
            latencyErrors.put(clients, errors);
            table.row(String.valueOf(clients), ms(Stats.of(p50)), ms(Stats.of(p99)), ms(Stats.of(max)), fmt(Stats.of(rps).median(), 0),
                    String.valueOf(errors), fmt(Stats.of(fnP50).median(), 2) + " / " + fmt(Stats.of(fnP99).median(), 2) + " ms",
                    fmt(Stats.of(authP50).median(), 2) + " / " + fmt(Stats.of(authP99).median(), 2) + " ms");
        }
        result.put("warmLatency", rows);
        insideTheFunctionsTable();
    }

    /**
     * Goal 4 (issue 21) side by side: wall is each invocation's {@code REPORT}-like {@code Duration}, which on this machine
     * includes waiting for one of its shared cores and for DynamoDB Local's answer; CPU is what the invoking thread itself
     * spent in the same span (ThreadMXBean), the handler's own work, which is what a Lambda environment serving one request
     * at a time would spend on its vCPU share.
     */
    private void insideTheFunctionsTable() {
        table.section("3b. Inside the functions, per invocation (warm rounds of section 3; median over rounds of each round's"
                + " percentile): wall = REPORT-like Duration, incl. waiting for a CPU and for downstream answers (DynamoDB Local);"
                + " CPU = the handler's own work on its thread (ThreadMXBean current-thread CPU time, same span; "
                + (InvocationDurations.cpuTimeMeasured() ? "measured" : "NOT measured by this JVM") + ")");
        table.header("clients", "function", "wall p50", "wall p99", "CPU p50", "CPU p99");
        for (var entry : insideRows.entrySet()) {
            int clients = entry.getKey();
            List<Stats> wall = entry.getValue();
            Map<String, List<Double>> cpu = insideCpu.get(clients);
            String[] names = {"GetMeFunction", "AuthorizerFunction"};
            for (int i = 0; i < names.length; i++) {
                table.row(String.valueOf(clients), names[i], fmt(wall.get(2 * i).median(), 2) + " ms", fmt(wall.get(2 * i + 1).median(), 2) + " ms",
                        cpuCell(cpu.get(names[i] + " p50")), cpuCell(cpu.get(names[i] + " p99")));
            }
        }
    }

    private static String cpuCell(List<Double> values) {
        return values == null || values.isEmpty() ? "n/a" : fmt(Stats.of(values).median(), 2) + " ms";
    }

    /** Adds this round's CPU p50 and p99 of {@code function} (when the JVM measured them) to {@code cpu}. */
    private static void cpuPercentiles(Map<String, List<Double>> cpu, String function, long[] cpuNanos) {
        List<Double> measured = new ArrayList<>();
        for (long n : cpuNanos) {
            if (n != InvocationDurations.NOT_MEASURED) {
                measured.add(n / 1e6);
            }
        }
        List<Double> p50 = cpu.computeIfAbsent(function + " p50", k -> new ArrayList<>());
        List<Double> p99 = cpu.computeIfAbsent(function + " p99", k -> new ArrayList<>());
        if (!measured.isEmpty()) {
            p50.add(Stats.percentile(measured, 50));
            p99.add(Stats.percentile(measured, 99));
        }
    }

    private static Map<String, Object> inside(List<Double> p50, List<Double> p99, Map<String, List<Double>> cpu, String function) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50Millis", Stats.of(p50).json(2));
        m.put("p99Millis", Stats.of(p99).json(2));
        List<Double> cpuP50 = cpu.get(function + " p50");
        List<Double> cpuP99 = cpu.get(function + " p99");
        m.put("cpuP50Millis", cpuP50.isEmpty() ? "n/a" : Stats.of(cpuP50).json(3));
        m.put("cpuP99Millis", cpuP99.isEmpty() ? "n/a" : Stats.of(cpuP99).json(3));
        return m;
    }

    private final Map<Integer, List<Stats>> insideRows = new LinkedHashMap<>();
    private final Map<Integer, Map<String, List<Double>>> insideCpu = new LinkedHashMap<>();
    private final Map<Integer, Stats> serverSideCpuP99 = new LinkedHashMap<>();

    private final Map<Integer, Stats> latencyStats = new LinkedHashMap<>();
    private final Map<Integer, Stats> serverSideP99 = new LinkedHashMap<>();

    private static List<Double> millis(long[] nanos) {
        List<Double> millis = new ArrayList<>(nanos.length);
        for (long n : nanos) {
            millis.add(n / 1e6);
        }
        return millis;
    }
    private final Map<Integer, Integer> latencyErrors = new LinkedHashMap<>();

    record LatencyRound(List<Double> millis, int errors, double seconds) {
    }

    private static LatencyRound latencyRound(HttpRequest request, int clients, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger remaining = new AtomicInteger(requests);
        AtomicInteger errors = new AtomicInteger();
        List<Future<List<Double>>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<Double> mine = new ArrayList<>();
                while (remaining.getAndDecrement() > 0) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                    mine.add((System.nanoTime() - t0) / 1e6);
                }
                return mine;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : futures) {
            all.addAll(f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new LatencyRound(all, errors.get(), seconds);
    }

    // ------------------------------------------------------------------------------------------
    // 4. Deployment sizes and contents
    // ------------------------------------------------------------------------------------------

    private void sizes(Artifacts artifacts, SamTemplate template) {
        System.err.println("[bench] artifact sizes");
        table.section("4. Deployment artifacts (scripts/sam/build-artifact.sh, as sam build): bytes unzipped / zipped;"
                + " SDK service clients in the function's deployed code (artifact + its layers)");
        table.header("artifact", "used by", "bytes", "zipped", "SDK clients (with layers)", "Netty/Apache");
        Map<String, List<String>> byCodeUri = new LinkedHashMap<>();
        for (String id : template.logicalIdsOfType(SamTemplate.FUNCTION)) {
            String codeUri = String.valueOf(template.properties(id, Set.of("CodeUri")).get("CodeUri"));
            byCodeUri.computeIfAbsent(codeUri, k -> new ArrayList<>()).add(id);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var entry : byCodeUri.entrySet()) {
            // functions with one CodeUri share one artifact; measure the first, check each one's layers
            String first = entry.getValue().get(0);
            Path folder = artifacts.of(entry.getKey());
            Set<String> clients = new java.util.TreeSet<>();
            Set<String> forbidden = new java.util.TreeSet<>();
            Map<String, Set<String>> perFunction = new LinkedHashMap<>();
            for (String id : entry.getValue()) {
                List<Path> deployed = deployedClasspath(artifacts, template, id);
                Set<String> mine = Artifacts.sdkServiceClients(deployed);
                perFunction.put(id, mine);
                clients.addAll(mine);
                forbidden.addAll(Artifacts.forbiddenHttpClients(deployed));
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("artifact", entry.getKey());
            row.put("functions", entry.getValue());
            row.put("bytes", Artifacts.bytes(folder));
            row.put("zippedBytes", Artifacts.zippedBytes(folder));
            row.put("jars", Artifacts.jars(folder.resolve("lib")).stream().map(p -> p.getFileName().toString()).toList());
            row.put("sdkServiceClientsPerFunction", perFunction);
            row.put("netttyOrApacheClasses", forbidden);
            rows.add(row);
            table.row(entry.getKey(), entry.getValue().size() == 1 ? first : entry.getValue().size() + " functions",
                    String.valueOf(row.get("bytes")), String.valueOf(row.get("zippedBytes")), String.join(",", clients),
                    forbidden.isEmpty() ? "none" : "FOUND");
            if (first.equals("AuthorizerFunction")) {
                authorizerClients = perFunction.get("AuthorizerFunction");
            }
            anyForbidden |= !forbidden.isEmpty();
        }
        for (String layer : template.logicalIdsOfType("AWS::Serverless::LayerVersion")) {
            Path folder = artifacts.of(uri(template, layer, "ContentUri"));
            List<Path> jars = Artifacts.jars(folder.resolve("java").resolve("lib"));
            Set<String> forbidden = Artifacts.forbiddenHttpClients(jars);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("artifact", layer);
            row.put("bytes", Artifacts.bytes(folder));
            row.put("zippedBytes", Artifacts.zippedBytes(folder));
            row.put("jars", jars.size());
            row.put("sdkServiceClients", Artifacts.sdkServiceClients(jars));
            row.put("netttyOrApacheClasses", forbidden);
            rows.add(row);
            table.row(layer, "layer", String.valueOf(row.get("bytes")), String.valueOf(row.get("zippedBytes")),
                    String.join(",", Artifacts.sdkServiceClients(jars)), forbidden.isEmpty() ? "none" : "FOUND");
            anyForbidden |= !forbidden.isEmpty();
        }
        result.put("artifacts", rows);
    }

    private Set<String> authorizerClients = Set.of();
    private boolean anyForbidden;

    // ------------------------------------------------------------------------------------------
    // Goals (issue 8)
    // ------------------------------------------------------------------------------------------

    private List<Map<String, Object>> goals() {
        List<Map<String, Object>> goals = new ArrayList<>();
        table.section("Goals (issue 8, with issue 21's)");
        table.header("goal", "target", "measured", "met", "", "");
        double authorizerC1 = throughputStats.get("authorizer-accp-c1").median();
        goal(goals, "authorizer full path, C1 only / OpenSSL RSA-2048 verify (issue 21)", ">= 0.50x",
                authorizerC1 / throughputStats.get("openssl").median(), v -> v >= 0.5, "x");
        goal(goals, "authorizer full path, C1 only / aws-jwt-verify (issue 21)", ">= 1.00x",
                authorizerC1 / throughputStats.get("aws-jwt-verify").median(), v -> v >= 1.0, "x");
        double hello = Stats.of(coldStats.get("hello-world").get("total")).median();
        goal(goals, "authorizer cold start / hello world", "<= 3.00x",
                Stats.of(coldStats.get("authorizer").get("total")).median() / hello, v -> v <= 3.0, "x");
        goal(goals, "post-confirmation cold start incl. its first DynamoDB write", "<= 1000 ms",
                Stats.of(coldStats.get("post-confirmation").get("total")).median(), v -> v <= 1000, " ms");
        for (String[] primed : new String[][] {{"get-me" + PRIMED, "GET /me", "50"}, {"post-confirmation" + PRIMED,
                "post-confirmation (its DynamoDB write and Cognito call included)", "150"}}) {
            List<Double> invoke = coldStats.getOrDefault(primed[0], Map.of()).get("invoke");
            double limit = Double.parseDouble(primed[2]);
            if (invoke != null && !invoke.isEmpty()) {
                goal(goals, "first invocation after priming, " + primed[1] + " (issue 21 goal 2)", "<= " + primed[2] + " ms",
                        Stats.of(invoke).median(), v -> v <= limit, " ms");
            }
        }
        goal(goals, "GET /me warm p99 at 16 clients, through the local gateway (issue 8's goal, replaced by the next)", "<= 25 ms",
                latencyStats.get(16).median(), v -> v <= 25, " ms");
        goal(goals, "GET /me p99 at 16 clients inside GetMeFunction, wall (REPORT-like Duration, incl. waiting for a shared CPU; section 3b)",
                "<= 10 ms", serverSideP99.get(16).median(), v -> v <= 10, " ms");
        if (serverSideCpuP99.containsKey(16)) {
            goal(goals, "GET /me p99 at 16 clients, CPU of GetMeFunction's own work per invocation (issue 21 goal 4, section 3b)",
                    "<= 10 ms", serverSideCpuP99.get(16).median(), v -> v <= 10, " ms");
        }
        goal(goals, "GET /me errors (all rounds, 1 and 16 clients)", "0",
                latencyErrors.values().stream().mapToInt(Integer::intValue).sum(), v -> v == 0, "");
        Map<String, Object> clients = new LinkedHashMap<>();
        clients.put("goal", "SDK service clients in the authorizer's deployed code (artifact + CoreLayer)");
        clients.put("target", "dynamodb only");
        clients.put("measured", authorizerClients);
        clients.put("met", authorizerClients.equals(Set.of("dynamodb")));
        goals.add(clients);
        table.row(String.valueOf(clients.get("goal")), "dynamodb only", String.join(",", authorizerClients),
                String.valueOf(clients.get("met")), "", "");
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("goal", "Netty or Apache HTTP client classes in any artifact");
        http.put("target", "none");
        http.put("measured", anyForbidden ? "found" : "none");
        http.put("met", !anyForbidden);
        goals.add(http);
        table.row(String.valueOf(http.get("goal")), "none", anyForbidden ? "found" : "none", String.valueOf(!anyForbidden), "", "");
        return goals;
    }

    private void goal(List<Map<String, Object>> goals, String name, String target, double value,
                      java.util.function.DoublePredicate met, String unit) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("goal", name);
        g.put("target", target);
        g.put("measured", Stats.round(value, 3));
        g.put("met", met.test(value));
        goals.add(g);
        table.row(name, target, fmt(value, 2) + unit, String.valueOf(met.test(value)), "", "");
    }

    // ------------------------------------------------------------------------------------------

    private SamTemplate template() {
        LocalResources physical = new LocalResources();
        SamTemplate probe = SamTemplate.load(options.root().resolve("template.yaml"), Map.of(), Map.of("AWS::Region", DevStack.REGION,
                "AWS::AccountId", DevStack.ACCOUNT_ID, "AWS::StackName", "bench", "AWS::Partition", "aws", "AWS::URLSuffix", "amazonaws.com"),
                physical);
        probe.logicalIdsOfType("AWS::Serverless::LayerVersion").forEach(id -> physical.put(id, id));
        return probe;
    }

    /** What a deployed function runs: its CodeUri's artifact plus the artifacts of its layers (Globals + its own). */
    private static List<Path> deployedClasspath(Artifacts artifacts, SamTemplate template, String functionId) {
        return artifacts.classpath(uri(template, functionId, "CodeUri"),
                layersOf(template, functionId).stream().map(layer -> uri(template, layer, "ContentUri")).toList());
    }

    private static String uri(SamTemplate template, String logicalId, String property) {
        return String.valueOf(template.properties(logicalId, Set.of(property)).get(property)).replaceAll("/+$", "");
    }

    static List<String> layersOf(SamTemplate template, String functionId) {
        Object layers = template.properties(functionId, Set.of("Layers")).get("Layers");
        return layers instanceof List<?> list ? list.stream().map(String::valueOf).distinct().toList() : List.of();
    }

    /** The environment of the throughput children: nothing from this shell (no JAVA_TOOL_OPTIONS), as the flags are explicit. */
    private static Map<String, String> lambdaLikeEnv() {
        return Map.of("AWS_REGION", DevStack.REGION, "LOG_LEVEL", "WARN");
    }

    private static Map<String, String> keyValues(String line) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return kv;
    }

    private static String join(List<Path> classpath) {
        return String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList());
    }

    static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static String ms(Stats s) {
        return fmt(s.median(), 1) + " ms (" + fmt(s.min(), 0) + "–" + fmt(s.max(), 0) + ")";
    }
}
