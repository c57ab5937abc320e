package dev.userapi.e2e;

import dev.userapi.e2e.client.Template;
import dev.userapi.e2e.client.TestUser;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The end-to-end suite's runner ({@code scripts/e2e.sh}): resolves the stack to drive, runs the tests of
 * {@code dev.userapi.e2e.tests} through the JUnit Platform launcher, removes what the run made, prints a
 * JUnit-style summary ending with {@code N passed, N failed[, N skipped]}, writes JUnit XML reports and
 * exits non-zero on any failure.
 */
public final class E2e {
    private static final String USAGE = """
            usage: scripts/e2e.sh --base-url URL [local options] [common options]
                   scripts/e2e.sh --stack NAME [--region REGION] [common options]

              --base-url URL              a running local stack (scripts/start-local.sh); codes from its outbox,
                                          the administrator from LOCAL_ADMIN_EMAIL / LOCAL_ADMIN_PASSWORD
              --stack NAME                a deployed stack: its Outputs and Parameters from CloudFormation,
                                          throw-away users with Cognito's admin APIs (the caller's AWS credentials),
                                          the administrator from E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD
            local options (the values the local stack's banner prints):
              --parameter-overrides K=V ...   the overrides the stack was started with
              --cognito-endpoint URL --user-pool-id ID --client-id ID   Cognito's admin APIs
              --dynamodb-endpoint URL --table NAME                      read access to the table
            common options:
              --origin URL                an allowed origin (default: the first of AllowedOrigins)
              --template FILE             the stack's template (default: template.yaml)
              --tests A,B                 only these test classes (simple names, e.g. AccountIT)
              --reports DIR               JUnit XML reports (default: e2e/target/e2e-reports)
            """;

    private E2e() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("e2e: " + e.getMessage());
            System.err.print(USAGE);
            status = 2;
        }
        System.exit(status);
    }

    static int run(String[] args) {
        Map<String, List<String>> options = parse(args);
        Target target = resolve(options);
        Target.set(target);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Cleanup.run(target), "e2e-cleanup"));
        System.out.printf("End-to-end suite against %s (%s stack), run %s, origin %s%n", target.baseUrl(),
                target.local() ? "local" : "deployed", target.runId(), target.origin());

        LauncherDiscoveryRequestBuilder discovery = LauncherDiscoveryRequestBuilder.request()
                .filters(ClassNameFilter.includeClassNamePatterns(".*IT"));
        Optional<String> only = one(options, "tests");
        if (only.isPresent()) {
            for (String name : only.get().split(",")) {
                discovery.selectors(DiscoverySelectors.selectClass("dev.userapi.e2e.tests." + name.trim()));
            }
        } else {
            discovery.selectors(DiscoverySelectors.selectPackage("dev.userapi.e2e.tests"));
        }
        LauncherDiscoveryRequest request = discovery.build();
        Path reports = Path.of(one(options, "reports").orElse("e2e/target/e2e-reports"));
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Progress progress = new Progress(out);
        try {
            Files.createDirectories(reports);
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, summary, progress, new LegacyXmlReportGeneratingListener(reports, out));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            Cleanup.run(target);
        }

        TestExecutionSummary result = summary.getSummary();
        out.println();
        result.printFailuresTo(out, 25);
        result.printTo(out);
        long failed = result.getTestsFailedCount() + result.getContainersFailedCount();
        long skipped = result.getTestsSkippedCount() + result.getTestsAbortedCount() + progress.abortedContainers;
        out.printf("JUnit XML reports: %s%n", reports.toAbsolutePath());
        out.printf("%d passed, %d failed%s%n", result.getTestsSucceededCount(), failed, skipped == 0 ? "" : ", " + skipped + " skipped");
        out.flush();
        return failed > 0 || result.getTestsFoundCount() == 0 ? 1 : 0;
    }

    /** Prints each test's outcome as it finishes, and every skip with its reason. */
    private static final class Progress implements TestExecutionListener {
        private final PrintWriter out;
        private long abortedContainers;

        Progress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            out.printf("  SKIPPED  %s: %s%n", name(test), reason);
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            String name = name(test);
            switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    if (test.isTest()) {
                        out.printf("  ok       %s%n", name);
                    }
                }
                case ABORTED -> {
                    if (test.isContainer()) {
                        abortedContainers++;
                    }
                    out.printf("  SKIPPED  %s: %s%n", name, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
                }
                case FAILED -> out.printf("  FAILED   %s: %s%n", name,
                        result.getThrowable().map(t -> firstLine(String.valueOf(t))).orElse("failed"));
            }
        }

        private static String name(TestIdentifier test) {
            String id = test.getUniqueId();
            int cls = id.indexOf("[class:dev.userapi.e2e.tests.");
            String owner = cls < 0 ? "" : id.substring(cls + "[class:dev.userapi.e2e.tests.".length(), id.indexOf(']', cls)) + " ";
            return test.isContainer() && !test.getDisplayName().endsWith("IT") ? owner + test.getDisplayName()
                    : test.isContainer() ? test.getDisplayName() : owner + test.getDisplayName();
        }

        private static String firstLine(String text) {
            int nl = text.indexOf('\n');
            return nl < 0 ? text : text.substring(0, nl) + " …";
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Options
    // ---------------------------------------------------------------------------------------------

    private static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        String current = null;
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (arg.startsWith("--")) {
                current = arg.substring(2);
                if (options.containsKey(current)) {
                    throw new IllegalArgumentException("--" + current + " given twice");
                }
                options.put(current, new ArrayList<>());
            } else if (current == null) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            } else {
                options.get(current).add(arg);
            }
        }
        List<String> known = List.of("base-url", "stack", "region", "parameter-overrides", "cognito-endpoint", "user-pool-id", "client-id",
                "dynamodb-endpoint", "table", "origin", "template", "tests", "reports");
        options.forEach((name, values) -> {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            if (!name.equals("parameter-overrides") && values.size() != 1) {
                throw new IllegalArgumentException("--" + name + " takes one value");
            }
        });
        if (options.containsKey("base-url") == options.containsKey("stack")) {
            throw new IllegalArgumentException("give either --base-url or --stack");
        }
        return options;
    }

    private static Optional<String> one(Map<String, List<String>> options, String name) {
        return Optional.ofNullable(options.get(name)).map(values -> values.get(0));
    }

    private static String required(Map<String, List<String>> options, String name, String why) {
        return one(options, name).orElseThrow(() -> new IllegalArgumentException("--" + name + " is needed " + why));
    }

    private static Target resolve(Map<String, List<String>> options) {
        Template template = Template.read(Path.of(one(options, "template").orElse("template.yaml")));
        Map<String, String> settings = new LinkedHashMap<>(template.parameterDefaults());
        String runId = UUID.randomUUID().toString().substring(0, 8);
        if (options.containsKey("base-url")) {
            for (String pair : options.getOrDefault("parameter-overrides", List.of())) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || !settings.containsKey(pair.substring(0, eq))) {
                    throw new IllegalArgumentException("--parameter-overrides: " + pair + " is not Key=Value of a template parameter");
                }
                settings.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            return local(options, template, settings, runId);
        }
        return deployed(options, template, settings, runId);
    }

    private static Target local(Map<String, List<String>> options, Template template, Map<String, String> settings, String runId) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        Optional<CognitoIdentityProviderClient> cognito = one(options, "cognito-endpoint").map(endpoint ->
                CognitoIdentityProviderClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                        .httpClient(UrlConnectionHttpClient.create()).endpointOverride(URI.create(endpoint)).build());
        String pool = cognito.isPresent() ? required(options, "user-pool-id", "with --cognito-endpoint") : "";
        String client = cognito.isPresent() ? required(options, "client-id", "with --cognito-endpoint") : "";
        Optional<DynamoDbClient> dynamoDb = one(options, "dynamodb-endpoint").map(endpoint ->
                DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                        .httpClient(UrlConnectionHttpClient.create()).endpointOverride(URI.create(endpoint)).build());
        String table = dynamoDb.isPresent() ? required(options, "table", "with --dynamodb-endpoint") : "";
        // the local stack's seeded administrator: its defaults are those of local/ StackOptions
        TestUser admin = new TestUser(env("LOCAL_ADMIN_EMAIL").orElse("admin@example.com").toLowerCase(Locale.ROOT),
                env("LOCAL_ADMIN_PASSWORD").orElse("Local-Admin-Passw0rd!"));
        String baseUrl = stripSlash(required(options, "base-url", ""));
        return new Target(baseUrl, true, origin(options, settings), Optional.of(admin), cognito, pool, client, dynamoDb, table,
                template, Map.copyOf(settings), runId);
    }

    private static Target deployed(Map<String, List<String>> options, Template template, Map<String, String> settings, String runId) {
        String stackName = required(options, "stack", "");
        Region region = one(options, "region").map(Region::of).orElseGet(() -> DefaultAwsRegionProviderChain.builder().build().getRegion());
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        Stack stack;
        try (CloudFormationClient cloudFormation = CloudFormationClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            stack = cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks().get(0);
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        stack.outputs().forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
        stack.parameters().forEach(p -> {
            if (settings.containsKey(p.parameterKey()) && p.parameterValue() != null) {
                settings.put(p.parameterKey(), p.parameterValue());
            }
        });
        for (String key : List.of("ApiUrl", "UserPoolId", "UserPoolClientId", "UsersTableName")) {
            if (!outputs.containsKey(key)) {
                throw new IllegalArgumentException("stack " + stackName + " has no output " + key + ": is it this project's stack?");
            }
        }
        CognitoIdentityProviderClient cognito = CognitoIdentityProviderClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
        Optional<TestUser> admin = env("E2E_ADMIN_EMAIL").flatMap(email -> env("E2E_ADMIN_PASSWORD")
                .map(password -> new TestUser(email.toLowerCase(Locale.ROOT), password)));
        if (admin.isEmpty()) {
            System.out.println("No E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD: the admin flows are skipped (docs/DEPLOY.md)");
        }
        return new Target(stripSlash(outputs.get("ApiUrl")), false, origin(options, settings), admin, Optional.of(cognito),
                outputs.get("UserPoolId"), outputs.get("UserPoolClientId"), Optional.of(dynamoDb), outputs.get("UsersTableName"),
                template, Map.copyOf(settings), runId);
    }

    private static String origin(Map<String, List<String>> options, Map<String, String> settings) {
        return stripSlash(one(options, "origin").orElseGet(() -> settings.getOrDefault("AllowedOrigins", "").split(",")[0].trim()));
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
