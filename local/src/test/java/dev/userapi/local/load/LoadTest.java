package dev.userapi.local.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.local.DevStack;
import dev.userapi.local.ProjectLayout;
import dev.userapi.local.StackOptions;
import dev.userapi.e2e.client.ApiClient;
import dev.userapi.e2e.client.ApiResponse;
import dev.userapi.e2e.client.OutboxClient;
import dev.userapi.local.testing.StackClients;
import dev.userapi.core.log.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A bounded mixed workload against the local stack, over HTTP on loopback: sign-ups with their
 * confirmations, logins, {@code GET /me}, {@code PATCH /me} (each write a unique value) and the
 * administrators' listing. It reports throughput, p50/p90/p99/max per operation and every error,
 * then reads every profile back and counts lost writes: each user belongs to one worker, which
 * writes its profile in turn, so the last value the API acknowledged must be the value stored, at
 * version 1 + the number of acknowledged writes.
 *
 * <p>Run with {@code ./scripts/load.sh} (see {@link Options#USAGE}). By default it starts its own
 * stack, in memory on free ports, with the template's throttling raised out of the way
 * ({@link #OVERRIDES}): the template's MethodSettings allow 10 requests a second per {@code /auth}
 * route, which would measure the throttle, not the system. Everything else keeps the template's
 * defaults (the 400 ms uniform floor of sign-up and login, the 60 s authorizer cache). With
 * {@code --url} it drives a stack that is already running, whose settings are its own.
 *
 * <p>Exit status: 0 when there were no errors and no lost writes, 1 otherwise.
 */
public final class LoadTest {
    /** Only throttling is changed from the template's defaults; the report says so. */
    static final Map<String, String> OVERRIDES = Map.of(
            "ThrottlingRateLimit", "100000", "ThrottlingBurstLimit", "100000",
            "AuthThrottlingRateLimit", "100000", "AuthThrottlingBurstLimit", "100000",
            "WafAuthRequestsPerIp", "2000000000", "WafRequestsPerIp", "2000000000");
    static final String PASSWORD = "Load-Test-Passw0rd!";

    /** Operation mix, by weight (per 100 requests of the mixed phase). */
    private static final Map<String, Integer> MIX = new LinkedHashMap<>();

    static {
        MIX.put("GET /me", 40);
        MIX.put("PATCH /me", 30);
        MIX.put("POST /auth/login", 12);
        MIX.put("GET /users", 12);
        MIX.put("POST /auth/sign-up", 6); // + its POST /auth/confirm
    }

    record Options(String url, int requests, int users, int workers, int signUps, Path report) {
        static final String USAGE = """
                usage: scripts/load.sh [--requests 20000] [--users 200] [--workers 32] [--sign-ups 4] [--url http://localhost:3000]
                                       [--report local/target/load-report.md]
                  --requests  requests in the mixed phase (the set-up adds about 4 per user)
                  --users     users made before the mixed phase; each worker owns users/workers of them
                  --workers   concurrent clients
                  --sign-ups  at most this many sign-up + confirmation pairs at once (cognito-local is one Node.js
                              process that rewrites its whole data file on every change; see docs/RELIABILITY.md)
                  --url       drive a running stack (its own throttling applies) instead of starting one""";

        static Options parse(String[] args) {
            String url = null;
            int requests = 20_000;
            int users = 200;
            int workers = 32;
            int signUps = 4;
            Path report = Path.of("local/target/load-report.md");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--url" -> url = args[++i];
                    case "--requests" -> requests = Integer.parseInt(args[++i]);
                    case "--users" -> users = Integer.parseInt(args[++i]);
                    case "--workers" -> workers = Integer.parseInt(args[++i]);
                    case "--sign-ups" -> signUps = Integer.parseInt(args[++i]);
                    case "--report" -> report = Path.of(args[++i]);
                    case "--help", "-h" -> {
                        System.out.println(USAGE);
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + args[i] + "\n" + USAGE);
                }
            }
            if (users < workers) {
                throw new IllegalArgumentException("--users must be at least --workers (each worker owns some users)");
            }
            return new Options(url, requests, users, workers, signUps, report);
        }
    }

    /** Latencies and outcomes of one operation. */
    static final class Stats {
        final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

        void ok(long nanos) {
            micros.add(nanos / 1000);
        }

        void error(String what) {
            errors.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
        }

        long errorCount() {
            return errors.values().stream().mapToLong(AtomicLong::get).sum();
        }
    }

    /** A user and what the API acknowledged for it: the last written name and how many writes. */
    static final class User {
        final String email;
        volatile String id;
        volatile String accessToken;
        String lastName;
        long writes;

        User(String email) {
            this.email = email;
        }
    }

    private final Options options;
    private final ApiClient api;
    private final OutboxClient outbox;
    private final Map<String, Stats> stats = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final java.util.concurrent.Semaphore signUpSlots;

    LoadTest(Options options, String url) {
        this.options = options;
        this.api = new ApiClient(url);
        this.outbox = new OutboxClient(api);
        this.signUpSlots = new java.util.concurrent.Semaphore(options.signUps());
    }

    /** Where the run reports (the process's own stdout and stderr; the stack's output goes to a file). */
    private static PrintStream console = System.err;
    private static PrintStream out = System.out;

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // the stack's and the functions' own output goes to a file; the console shows the run
        Path logFile = Path.of("local/target/load-stack.log");
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8);
        PrintStream stdout = System.out;
        console = System.err;
        System.setOut(log);
        System.setErr(log);
        Log.redirect(log);
        DevStack stack = null;
        String url = options.url();
        if (url == null) {
            long started = System.nanoTime();
            stack = DevStack.start(StackOptions.defaults(ProjectLayout.findRoot()).withParameterOverrides(OVERRIDES));
            url = stack.apiUrl();
            console.printf("[load] local stack up in %d ms at %s (throttling overridden: %s); its log: %s%n",
                    (System.nanoTime() - started) / 1_000_000, url, OVERRIDES, logFile);
        }
        out = stdout;
        int exit;
        try {
            exit = new LoadTest(options, url).run(stack);
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
        System.exit(exit);
    }

    int run(DevStack stack) throws Exception {
        String admin = login(System.getenv().getOrDefault("LOCAL_ADMIN_EMAIL", StackOptions.DEFAULT_ADMIN_EMAIL),
                System.getenv().getOrDefault("LOCAL_ADMIN_PASSWORD", StackOptions.DEFAULT_ADMIN_PASSWORD))
                .orElseThrow(() -> new IllegalStateException("the seeded administrator cannot sign in"));

        // set-up: users signed up, confirmed and signed in, in parallel
        long setupStarted = System.nanoTime();
        List<User> users = new ArrayList<>();
        for (int i = 0; i < options.users(); i++) {
            users.add(new User("load-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com"));
        }
        parallel(options.workers(), users.size(), i -> {
            User user = users.get(i);
            if (signUpAndConfirm(user.email)) {
                login(user.email, PASSWORD).ifPresent(token -> user.accessToken = token);
                if (user.accessToken != null) {
                    ApiResponse me = timed("GET /me", api.get("/me").bearer(user.accessToken), 200);
                    if (me != null) {
                        user.id = me.json().path("id").asText();
                    }
                }
            }
        });
        double setupSeconds = (System.nanoTime() - setupStarted) / 1e9;
        long setupRequests = sent.get();
        List<User> ready = users.stream().filter(u -> u.id != null).toList();
        console.printf("[load] set-up: %d of %d users ready, %d requests in %.1f s%n", ready.size(), users.size(), setupRequests,
                setupSeconds);

        // the mixed phase: each worker owns a slice of the users and is the only one to write them
        Map<String, Stats> setupStats = snapshot();
        console.printf("[load] mixed phase: %d requests, %d workers ...%n", options.requests(), options.workers());
        stats.clear();
        long mixedStarted = System.nanoTime();
        AtomicLong budget = new AtomicLong(options.requests());
        ExecutorService pool = Executors.newFixedThreadPool(options.workers());
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < options.workers(); w++) {
            List<User> mine = new ArrayList<>();
            for (int i = w; i < ready.size(); i += options.workers()) {
                mine.add(ready.get(i));
            }
            if (!mine.isEmpty()) {
                futures.add(pool.submit(() -> worker(mine, admin, budget)));
            }
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double mixedSeconds = (System.nanoTime() - mixedStarted) / 1e9;
        long mixedRequests = stats.values().stream().mapToLong(s -> s.micros.size() + s.errorCount()).sum();

        // read every profile back: through the API, and from DynamoDB itself when the stack is ours
        long lost = 0;
        List<String> lostDetails = new ArrayList<>();
        DynamoDbClient db = stack == null ? null : StackClients.dynamoDb(stack);
        for (User user : ready) {
            if (user.writes == 0) {
                continue;
            }
            ApiResponse me = api.get("/me").bearer(user.accessToken).send();
            JsonNode body = me.status() == 200 ? me.json() : null;
            String name = body == null ? null : body.path("name").asText(null);
            long version = body == null ? -1 : body.path("version").asLong();
            if (db != null) {
                Map<String, AttributeValue> item = db.getItem(r -> r.tableName(stack.tableName()).consistentRead(true)
                        .key(Map.of("pk", AttributeValue.fromS("USER#" + user.id), "sk", AttributeValue.fromS("PROFILE")))).item();
                if (!user.lastName.equals(item.get("name") == null ? null : item.get("name").s())
                        || !String.valueOf(1 + user.writes).equals(item.get("version").n())) {
                    name = item.get("name") == null ? null : item.get("name").s();
                    version = Long.parseLong(item.get("version").n());
                }
            }
            if (!user.lastName.equals(name) || version != 1 + user.writes) {
                lost++;
                lostDetails.add(user.email + ": acknowledged '" + user.lastName + "' at version " + (1 + user.writes)
                        + ", read '" + name + "' at version " + version);
            }
        }
        long acknowledgedWrites = ready.stream().mapToLong(u -> u.writes).sum();

        String report = report(stack, setupStats, setupRequests, setupSeconds, mixedRequests, mixedSeconds, ready.size(),
                acknowledgedWrites, db != null, lost, lostDetails);
        out.println(report);
        try {
            Files.createDirectories(options.report().toAbsolutePath().getParent());
            Files.writeString(options.report(), report);
            console.println("[load] report written to " + options.report());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long errors = stats.values().stream().mapToLong(Stats::errorCount).sum()
                + setupStats.values().stream().mapToLong(Stats::errorCount).sum();
        return errors == 0 && lost == 0 && ready.size() == users.size() ? 0 : 1;
    }

    private void worker(List<User> mine, String admin, AtomicLong budget) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int total = MIX.values().stream().mapToInt(Integer::intValue).sum();
        long seq = 0;
        while (budget.getAndDecrement() > 0) {
            User user = mine.get(random.nextInt(mine.size()));
            int pick = random.nextInt(total);
            String op = null;
            for (Map.Entry<String, Integer> e : MIX.entrySet()) {
                pick -= e.getValue();
                if (pick < 0) {
                    op = e.getKey();
                    break;
                }
            }
            switch (op) {
                case "GET /me" -> timed(op, api.get("/me").bearer(user.accessToken), 200);
                case "PATCH /me" -> {
                    String value = "w" + Thread.currentThread().getId() + "-" + (seq++) + "-" + random.nextInt(1_000_000);
                    ApiResponse r = timed(op, api.patch("/me").bearer(user.accessToken).json(Map.of("name", value)), 200);
                    if (r != null) {
                        user.lastName = value;
                        user.writes++;
                    }
                }
                case "POST /auth/login" -> login(user.email, PASSWORD).ifPresent(token -> user.accessToken = token);
                case "GET /users" -> timed(op, api.get("/users?limit=25").bearer(admin), 200);
                default -> {
                    budget.decrementAndGet(); // sign-up and confirm are two requests
                    signUpAndConfirm("load-new-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com");
                }
            }
        }
    }

    private boolean signUpAndConfirm(String email) {
        signUpSlots.acquireUninterruptibly();
        try {
            return signUpAndConfirmNow(email);
        } finally {
            signUpSlots.release();
        }
    }

    private boolean signUpAndConfirmNow(String email) {
        if (timed("POST /auth/sign-up", api.post("/auth/sign-up").json(Map.of("email", email, "password", PASSWORD)), 202) == null) {
            return false;
        }
        String code = outbox.confirmationCode(email);
        return timed("POST /auth/confirm", api.post("/auth/confirm").json(Map.of("email", email, "code", code, "password", PASSWORD)), 200) != null;
    }

    private java.util.Optional<String> login(String email, String password) {
        ApiResponse r = timed("POST /auth/login", api.post("/auth/login").json(Map.of("email", email, "password", password)), 200);
        return r == null ? java.util.Optional.empty() : java.util.Optional.of(r.json().path("accessToken").asText());
    }

    /** Sends, records latency or error; the response when it had the expected status, else null. */
    private ApiResponse timed(String op, ApiClient.Request request, int expected) {
        Stats s = stats.computeIfAbsent(op, k -> new Stats());
        sent.incrementAndGet();
        long started = System.nanoTime();
        ApiResponse response;
        try {
            response = request.send();
        } catch (RuntimeException e) {
            s.error(e.getClass().getSimpleName());
            return null;
        }
        long nanos = System.nanoTime() - started;
        if (response.status() != expected) {
            s.error(response.status() + " " + response.json().path("code").asText(""));
            return null;
        }
        s.ok(nanos);
        return response;
    }

    private interface Task {
        void run(int index) throws Exception;
    }

    private static void parallel(int threads, int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                task.run(index);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private Map<String, Stats> snapshot() {
        return new LinkedHashMap<>(stats);
    }

    private String report(DevStack stack, Map<String, Stats> setup, long setupRequests, double setupSeconds, long mixedRequests,
                          double mixedSeconds, int users, long writes, boolean checkedDynamoDb, long lost, List<String> lostDetails) {
        StringBuilder b = new StringBuilder();
        b.append("## Load run ").append(Instant.now()).append("\n\n");
        b.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, JDK ")
                .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.arch")).append('\n');
        b.append("- Target: ").append(stack == null ? options.url() + " (a running stack, its own settings)"
                : "a local stack started by the run (in memory); template defaults except throttling " + OVERRIDES).append('\n');
        b.append("- Workers: ").append(options.workers()).append(", users: ").append(users)
                .append(", at most ").append(options.signUps()).append(" sign-ups (with their confirmation) at once\n");
        b.append(String.format(Locale.ROOT, "- Set-up: %d requests in %.1f s (sign-up, confirm, login, GET /me per user)%n",
                setupRequests, setupSeconds));
        b.append(String.format(Locale.ROOT, "- Mixed phase: %d requests in %.1f s = **%.0f requests/s**%n", mixedRequests, mixedSeconds,
                mixedRequests / mixedSeconds));
        b.append("\n| operation | requests | errors | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|---:|\n");
        stats.forEach((op, s) -> b.append(row(op, s)));
        b.append('\n');
        long setupErrors = setup.values().stream().mapToLong(Stats::errorCount).sum();
        long errors = stats.values().stream().mapToLong(Stats::errorCount).sum();
        b.append("- Errors: ").append(errors).append(" in the mixed phase, ").append(setupErrors).append(" in the set-up");
        stats.forEach((op, s) -> s.errors.forEach((what, n) -> b.append("; ").append(op).append(' ').append(what).append(" ×").append(n)));
        setup.forEach((op, s) -> s.errors.forEach((what, n) -> b.append("; set-up ").append(op).append(' ').append(what).append(" ×")
                .append(n)));
        b.append('\n');
        b.append("- Writes: ").append(writes).append(" PATCH /me acknowledged (each a unique value); every profile read back through GET /me")
                .append(checkedDynamoDb ? " and from DynamoDB (consistent read)" : "").append(": **").append(lost).append(" lost**\n");
        lostDetails.stream().limit(20).forEach(d -> b.append("  - ").append(d).append('\n'));
        return b.toString();
    }

    private static String row(String op, Stats s) {
        List<Long> sorted = new ArrayList<>(s.micros);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f |%n", op, sorted.size() + s.errorCount(), s.errorCount(),
                percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                sorted.isEmpty() ? 0.0 : sorted.get(sorted.size() - 1) / 1000.0);
    }

    private static double percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1000.0;
    }
}
