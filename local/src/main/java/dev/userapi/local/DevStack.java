package dev.userapi.local;

import dev.userapi.local.cognito.CognitoCompat;
import dev.userapi.local.cognito.CognitoLocalProcess;
import dev.userapi.local.cognito.CognitoProvisioner;
import dev.userapi.local.cognito.PreTokenGenerationV2Adapter;
import dev.userapi.local.dynamodb.DynamoDbLocal;
import dev.userapi.local.dynamodb.TableCreator;
import dev.userapi.local.events.LocalEvents;
import dev.userapi.local.faults.FaultProxy;
import dev.userapi.local.faults.Faults;
import dev.userapi.local.gateway.ApiGateway;
import dev.userapi.local.gateway.GatewayResponses;
import dev.userapi.local.gateway.ProxyEvents;
import dev.userapi.local.gateway.Route;
import dev.userapi.local.gateway.RouteTable;
import dev.userapi.local.gateway.Throttle;
import dev.userapi.local.gateway.TokenAuthorizer;
import dev.userapi.local.lambda.LambdaFunction;
import dev.userapi.local.lambda.LambdaFunctions;
import dev.userapi.local.lambda.LambdaInvokeServer;
import dev.userapi.local.outbox.Outbox;
import dev.userapi.local.ses.SesEndpoint;
import dev.userapi.local.web.StaticSite;
import dev.userapi.local.template.FunctionDefinition;
import dev.userapi.local.template.LocalResources;
import dev.userapi.local.template.RestApiDefinition;
import dev.userapi.local.template.SamTemplate;
import dev.userapi.local.template.TemplateException;
import dev.userapi.local.template.TokenAuthorizerDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole API on one machine, without Docker or AWS: DynamoDB Local in-process, cognito-local as
 * a child process behind a compatibility layer, our functions in-process behind an API Gateway
 * emulator and a Lambda Invoke API, all driven by {@code template.yaml}.
 *
 * <p>{@link #main} is the start command ({@code scripts/start-local.sh}); {@link #start} is how
 * tests start the same stack on free ports. {@link #close} stops everything, including the
 * cognito-local process tree. (Not the DevStack product, which this project does not use.)
 */
public final class DevStack implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "123456789012";
    public static final String STACK_NAME = "user-api-local";
    public static final String API_ID = "localapi01";

    private static final String TABLE_TYPE = "AWS::DynamoDB::Table";
    private static final String POOL_TYPE = "AWS::Cognito::UserPool";
    private static final String CLIENT_TYPE = "AWS::Cognito::UserPoolClient";
    private static final String GROUP_TYPE = "AWS::Cognito::UserPoolGroup";
    /** The trigger names cognito-local can call. */
    private static final List<String> COGNITO_LOCAL_TRIGGERS =
            List.of("PreSignUp", "PostConfirmation", "PostAuthentication", "CustomMessage", "UserMigration", "PreTokenGeneration");

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Outbox outbox = new Outbox(Clock.systemUTC());
    private final List<String> warnings = new ArrayList<>();
    private StackOptions options;
    private SamTemplate template;
    private LambdaFunctions functions;
    private ApiGateway gateway;
    private LambdaInvokeServer invokeServer;
    private CognitoLocalProcess cognitoLocal;
    private CognitoCompat compat;
    private DynamoDbLocal dynamoDb;
    private CognitoProvisioner.Pool pool;
    private String tableName;
    private Path cognitoWorkDir;
    private AdminSeeder.Result admin;
    private Faults faults;
    private SesEndpoint ses;
    private LocalEvents events;

    private DevStack() {
    }

    public static void main(String[] args) {
        StackOptions options;
        try {
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                System.out.println(StackOptions.USAGE);
                return;
            }
            options = StackOptions.parse(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(StackOptions.USAGE);
            System.exit(2);
            return;
        } catch (StartupException e) {
            System.err.println("Cannot start the local stack: " + e.getMessage());
            System.exit(1);
            return;
        }
        DevStack stack;
        try {
            stack = start(options);
        } catch (StartupException | TemplateException e) {
            System.err.println("Cannot start the local stack: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Stopping the local stack ...");
            stack.close();
        }, "local-stack-shutdown"));
        System.err.println(Banner.of(stack));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts everything; on failure, stops what had started and throws a {@link StartupException}. */
    public static DevStack start(StackOptions options) {
        DevStack stack = new DevStack();
        try {
            stack.boot(options);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            if (e instanceof StartupException || e instanceof TemplateException) {
                throw e;
            }
            throw new StartupException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private void boot(StackOptions options) {
        this.options = options;
        ProjectLayout layout = new ProjectLayout(options.root());
        int apiPort = Ports.freeOr(options.apiPort(), "the API", "start with --port <free port>");

        Map<String, String> overrides = new LinkedHashMap<>(options.parameterOverrides());
        if (options.seedAdmin()) {
            overrides.putIfAbsent("AdminEmail", options.adminEmail());
        }
        // The hosted sign-in returns to this stack's own callback (registered on the app client).
        overrides.putIfAbsent("OAuthCallbackUrls", "http://localhost:" + apiPort + "/auth/oauth/callback");
        // Invitation e-mails link to the web client this stack serves at /app/.
        overrides.putIfAbsent("WebClientUrl", "http://localhost:" + apiPort + "/app/");
        // Webhooks to a receiver on this machine (plain http to loopback), unless --parameter-overrides says otherwise.
        overrides.putIfAbsent("WebhookAllowLoopback", "true");
        // Passkeys with the relying-party id browsers use for http://localhost (issue 18), unless overridden.
        overrides.putIfAbsent("PasskeyRelyingPartyId", "localhost");
        LocalResources physical = new LocalResources();
        template = SamTemplate.load(layout.template(), overrides, pseudoParameters(), physical);
        template.logicalIdsOfType(SamTemplate.FUNCTION).forEach(id -> physical.put(id, id)
                .putAttribute(id, "Arn", "arn:aws:lambda:" + REGION + ":" + ACCOUNT_ID + ":function:" + id));
        template.logicalIdsOfType("AWS::Serverless::LayerVersion").forEach(id -> physical.put(id, id));
        template.logicalIdsOfType(SamTemplate.API).forEach(id -> physical.put(id, API_ID));

        functions = closing(new LambdaFunctions(REGION, ACCOUNT_ID));
        invokeServer = closing(new LambdaInvokeServer(functions, options.lambdaPort()));

        CompletableFuture<Void> dynamo = CompletableFuture.runAsync(() -> startDynamoDb(layout, physical));
        CompletableFuture<Void> cognito = CompletableFuture.runAsync(() -> startCognito(layout, physical));
        join(dynamo, cognito);
        // Lifecycle events and webhooks (issue 20): the template's queues, bus, rules and key, before the functions'
        // environments name them.
        events = closing(LocalEvents.create(template, physical, REGION, ACCOUNT_ID, STACK_NAME, Clock.systemUTC(),
                options.inMemory() ? Optional.empty() : Optional.of(options.dataDir().resolve("events"))));

        compat = closing(new CognitoCompat(new CognitoCompat.Settings(options.cognitoProxyPort(), cognitoLocal.endpoint(),
                cognitoWorkDir, pool.poolId(), pool.clientId(), policies(), autoVerifiesEmail(), preventsUserExistenceErrors(),
                outbox, layout.cognitoPackage().resolve("node_modules/cognito-local/lib/keys/cognitoLocal.private.json"),
                verifiesEmailBeforeUpdate(), clientWriteAttributes(), passkeys())));

        Optional<RestApiDefinition> api = template.restApi();
        Set<String> authorizerFunctions = api.map(a -> a.authorizers().values().stream()
                .map(TokenAuthorizerDefinition::functionId).collect(Collectors.toSet())).orElse(Set.of());
        String dynamoDbEndpoint = dynamoDb.endpoint().toString();
        String cognitoEndpoint = compat.endpoint();
        String jwksUrl = issuer() + "/.well-known/jwks.json";
        FaultProxy[] proxies = null;
        if (options.faultInjection()) {
            proxies = new FaultProxy[] {
                closing(FaultProxy.start("dynamodb", dynamoDb.endpoint())),
                closing(FaultProxy.start("cognito", java.net.URI.create(compat.endpoint()))),
                closing(FaultProxy.start("jwks", cognitoLocal.endpoint()))};
            dynamoDbEndpoint = proxies[0].endpoint().toString();
            cognitoEndpoint = proxies[1].endpoint().toString();
            jwksUrl = proxies[2].endpoint() + "/" + pool.poolId() + "/.well-known/jwks.json";
        }
        ses = closing(new SesEndpoint(outbox, 0));
        FunctionEnvironment environment = new FunctionEnvironment(REGION, dynamoDbEndpoint, cognitoEndpoint,
                ses.endpoint().toString(), issuer(), jwksUrl, authorizerFunctions);
        for (FunctionDefinition definition : template.functions()) {
            Map<String, String> functionEnvironment = new LinkedHashMap<>(environment.of(definition));
            functionEnvironment.putAll(events.environment());
            LambdaFunction function = functions.register(definition, functionEnvironment);
            if (!function.hasCode()) {
                warnings.add(definition.logicalId() + " has no code yet (" + definition.handlerClass() + "): it answers 502 until it exists");
            }
        }
        if (proxies != null) {
            Map<String, LambdaFunction> byId = new LinkedHashMap<>();
            functions.all().forEach(f -> byId.put(f.id(), f));
            faults = new Faults(proxies[0], proxies[1], proxies[2], byId);
        }
        events.connect(functions.all(), dynamoDb.endpoint());
        gateway = closing(new ApiGateway(gatewayConfig(options, apiPort, api)));
        if (options.seedAdmin()) {
            admin = new AdminSeeder(apiUrl(), outbox, cognitoLocal.endpoint(), pool, REGION)
                    .seed(options.adminEmail(), options.adminPassword(), functions.find("PostConfirmationFunction")
                            .map(LambdaFunction::hasCode).orElse(false));
            admin.warning().ifPresent(warnings::add);
        }
    }

    private void startDynamoDb(ProjectLayout layout, LocalResources physical) {
        Optional<Path> dataDir = options.inMemory() ? Optional.empty() : Optional.of(options.dataDir().resolve("dynamodb"));
        dynamoDb = closing(Ports.startOn(options.dynamoDbPort(), "DynamoDB Local", "pass --dynamodb-port <free port>",
                port -> DynamoDbLocal.start(port, dataDir, layout.nativeLibraries())));
        String tableId = template.onlyOfType(TABLE_TYPE);
        Map<String, Object> properties = template.properties(tableId);
        String name = String.valueOf(properties.getOrDefault("TableName", STACK_NAME + "-" + tableId));
        tableName = TableCreator.create(dynamoDb.endpoint(), REGION, name, properties);
        physical.put(tableId, tableName)
                .putAttribute(tableId, "Arn", "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT_ID + ":table/" + tableName);
        TableCreator.streamArn(dynamoDb.endpoint(), REGION, tableName).ifPresent(arn -> physical.putAttribute(tableId, "StreamArn", arn));
    }

    @SuppressWarnings("unchecked")
    private void startCognito(ProjectLayout layout, LocalResources physical) {
        CognitoLocalProcess.ensureInstalled(layout.cognitoPackage());
        try {
            cognitoWorkDir = options.inMemory() ? Files.createTempDirectory("userapi-cognito-") : options.dataDir().resolve("cognito");
            Files.createDirectories(cognitoWorkDir);
        } catch (IOException e) {
            throw new StartupException("Cannot create a folder for cognito-local's data: " + e.getMessage(), e);
        }
        if (options.inMemory()) {
            Path dir = cognitoWorkDir;
            resources.push(() -> deleteRecursively(dir));
        }
        String poolId = template.onlyOfType(POOL_TYPE);
        Map<String, Object> lambdaConfig = (Map<String, Object>) template.properties(poolId, Set.of("LambdaConfig"))
                .getOrDefault("LambdaConfig", Map.of());
        Map<String, String> triggers = triggers(lambdaConfig);
        Path workDir = cognitoWorkDir;
        cognitoLocal = closing(Ports.startOn(options.cognitoPort(), "cognito-local", "pass --cognito-port <free port>",
                port -> CognitoLocalProcess.start(layout.cognitoPackage(), workDir, new CognitoLocalProcess.Config(port, invokeServer.endpoint(), triggers))));
        try (CognitoProvisioner provisioner = new CognitoProvisioner(cognitoLocal.endpoint(), REGION)) {
            String clientId = template.onlyOfType(CLIENT_TYPE);
            pool = provisioner.provision(template.properties(poolId),
                    createdPoolId -> {
                        physical.put(poolId, createdPoolId);
                        return template.properties(clientId);
                    },
                    createdPoolId -> template.logicalIdsOfType(GROUP_TYPE).stream().map(template::properties).toList());
            physical.put(poolId, pool.poolId()).putAttribute(poolId, "Arn", pool.poolArn())
                    .putAttribute(poolId, "ProviderName", "cognito-idp." + REGION + ".amazonaws.com/" + pool.poolId())
                    .put(clientId, pool.clientId());
        }
    }

    /**
     * cognito-local's {@code TriggerFunctions} from the pool's {@code LambdaConfig}: each trigger
     * names its function's logical ID, which our Lambda Invoke API serves. A trigger whose function
     * has no code yet is left out (cognito-local would fail every sign-in), with a warning.
     */
    @SuppressWarnings("unchecked")
    private Map<String, String> triggers(Map<String, Object> lambdaConfig) {
        Map<String, String> triggers = new LinkedHashMap<>();
        for (String trigger : COGNITO_LOCAL_TRIGGERS) {
            if (lambdaConfig.get(trigger) instanceof String reference) {
                triggers.put(trigger, SamTemplate.functionId(reference));
            }
        }
        if (lambdaConfig.get("PreTokenGenerationConfig") instanceof Map<?, ?> raw) {
            Map<String, Object> config = (Map<String, Object>) raw;
            String functionId = SamTemplate.functionId(String.valueOf(config.get("LambdaArn")));
            triggers.put("PreTokenGeneration", functionId);
            if (!"V1_0".equals(String.valueOf(config.getOrDefault("LambdaVersion", "V1_0")))) {
                invokeServer.adapt(functionId, new PreTokenGenerationV2Adapter());
            }
        }
        lambdaConfig.keySet().stream()
                .filter(k -> !COGNITO_LOCAL_TRIGGERS.contains(k) && !k.equals("PreTokenGenerationConfig"))
                .forEach(k -> warnings.add("cognito-local cannot call the " + k + " trigger; it is not run locally"));
        Map<String, String> runnable = new LinkedHashMap<>();
        triggers.forEach((trigger, functionId) -> {
            boolean hasCode = template.hasResource(functionId) && classExists(template.handlerClassOf(functionId));
            if (hasCode) {
                runnable.put(trigger, functionId);
            } else {
                warnings.add("The " + trigger + " trigger (" + functionId + ") has no code yet: cognito-local runs without it");
            }
        });
        return runnable;
    }

    private ApiGateway.Config gatewayConfig(StackOptions options, int apiPort, Optional<RestApiDefinition> api) {
        String stage = api.map(RestApiDefinition::stageName).orElse("Prod");
        List<Route> routes = new ArrayList<>();
        for (LambdaFunction function : functions.all()) {
            function.definition().apiEvents().forEach(event ->
                    routes.add(new Route(event.method(), event.path(), function.id(), event.authorizer())));
        }
        Map<String, TokenAuthorizer> authorizers = new LinkedHashMap<>();
        api.ifPresent(a -> a.authorizers().forEach((name, definition) -> authorizers.put(name,
                new TokenAuthorizer(definition, functions.find(definition.functionId()).orElseThrow(() ->
                        new TemplateException("Authorizer " + name + " names an unknown function " + definition.functionId()))))));
        for (Route route : routes) {
            if (route.authorizer().isPresent() && !authorizers.containsKey(route.authorizer().get())) {
                throw new TemplateException(route.method() + " " + route.resource() + " uses an unknown authorizer " + route.authorizer().get());
            }
        }
        GatewayResponses responses = new GatewayResponses(api.map(RestApiDefinition::gatewayResponses).orElse(Map.of()), stage);
        responses.invalidJsonTemplates().forEach(problem -> warnings.add("GatewayResponses: " + problem));
        Map<String, LambdaFunction> byId = new LinkedHashMap<>();
        functions.all().forEach(f -> byId.put(f.id(), f));
        return new ApiGateway.Config(options.bindAddress(), apiPort, REGION, new ProxyEvents.ApiIdentity(ACCOUNT_ID, API_ID, stage),
                new RouteTable(routes), byId, authorizers, responses,
                new Throttle(api.map(RestApiDefinition::throttling).orElse(List.of()), System::nanoTime),
                dev.userapi.local.gateway.WebAcl.fromTemplate(template, System::nanoTime), outbox,
                new StaticSite(options.root().resolve("web")));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> policies() {
        return (Map<String, Object>) template.properties(template.onlyOfType(POOL_TYPE), Set.of("Policies")).getOrDefault("Policies", Map.of());
    }

    /**
     * The pool's passkey settings for the local Cognito layer: {@code WebAuthnRelyingPartyID} (none: passkeys off),
     * {@code WebAuthnUserVerification}, and the origins a credential may come from, the template's {@code AllowedOrigins}
     * (as the functions' {@code ALLOWED_ORIGINS}).
     */
    private dev.userapi.local.cognito.CognitoCompat.Passkeys passkeys() {
        Map<String, Object> pool = template.properties(template.onlyOfType(POOL_TYPE),
                Set.of("WebAuthnRelyingPartyID", "WebAuthnUserVerification"));
        Object rpId = pool.get("WebAuthnRelyingPartyID");
        Set<String> origins = new java.util.LinkedHashSet<>();
        for (String origin : template.parameters().string("AllowedOrigins").split(",")) {
            if (!origin.isBlank()) {
                origins.add(origin.trim());
            }
        }
        return new dev.userapi.local.cognito.CognitoCompat.Passkeys(rpId instanceof String id && !id.isBlank() ? id : null,
                "required".equals(String.valueOf(pool.get("WebAuthnUserVerification"))), origins);
    }

    private boolean autoVerifiesEmail() {
        Object attributes = template.properties(template.onlyOfType(POOL_TYPE), Set.of("AutoVerifiedAttributes")).get("AutoVerifiedAttributes");
        return attributes instanceof List<?> list && list.contains("email");
    }

    /** The pool's {@code UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate} names {@code email}. */
    private boolean verifiesEmailBeforeUpdate() {
        Object settings = template.properties(template.onlyOfType(POOL_TYPE), Set.of("UserAttributeUpdateSettings"))
                .get("UserAttributeUpdateSettings");
        return settings instanceof Map<?, ?> map && map.get("AttributesRequireVerificationBeforeUpdate") instanceof List<?> list
                && list.contains("email");
    }

    /** The app client's {@code WriteAttributes} (empty: not set, every writable attribute). */
    private Set<String> clientWriteAttributes() {
        Object attributes = template.properties(template.onlyOfType(CLIENT_TYPE), Set.of("WriteAttributes")).get("WriteAttributes");
        return attributes instanceof List<?> list ? list.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet()) : Set.of();
    }

    private boolean preventsUserExistenceErrors() {
        return "ENABLED".equals(String.valueOf(template.properties(template.onlyOfType(CLIENT_TYPE), Set.of("PreventUserExistenceErrors"))
                .get("PreventUserExistenceErrors")));
    }

    private static Map<String, String> pseudoParameters() {
        return Map.of(
                "AWS::Region", REGION,
                "AWS::AccountId", ACCOUNT_ID,
                "AWS::StackName", STACK_NAME,
                "AWS::StackId", "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT_ID + ":stack/" + STACK_NAME + "/local",
                "AWS::Partition", "aws",
                "AWS::URLSuffix", "amazonaws.com");
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name, false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void join(CompletableFuture<?>... futures) {
        try {
            CompletableFuture.allOf(futures).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        synchronized (resources) {
            resources.push(resource);
        }
        return resource;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // What a running stack tells its users (the banner, tests)
    // ------------------------------------------------------------------------------------------

    public String apiUrl() {
        return "http://localhost:" + gateway.port();
    }

    public int apiPort() {
        return gateway.port();
    }

    public String lambdaEndpoint() {
        return invokeServer.endpoint();
    }

    public String cognitoEndpoint() {
        return cognitoLocal.endpoint().toString();
    }

    public String cognitoCompatEndpoint() {
        return compat.endpoint();
    }

    public String issuer() {
        return "http://localhost:" + cognitoLocal.port() + "/" + pool.poolId();
    }

    public String dynamoDbEndpoint() {
        return dynamoDb.endpoint().toString();
    }

    public String userPoolId() {
        return pool.poolId();
    }

    public String userPoolClientId() {
        return pool.clientId();
    }

    public String tableName() {
        return tableName;
    }

    public String stage() {
        return template.restApi().map(RestApiDefinition::stageName).orElse("Prod");
    }

    public StackOptions options() {
        return options;
    }

    public Optional<AdminSeeder.Result> admin() {
        return Optional.ofNullable(admin);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public List<LambdaFunction> functions() {
        return List.copyOf(functions.all());
    }

    public Outbox outbox() {
        return outbox;
    }

    /** The template's event plumbing (queues, buses, keys, event sources); tests read its queues. */
    public LocalEvents events() {
        return events;
    }

    /** The local SES v2 endpoint ({@code SES_ENDPOINT} of every function), which writes to the outbox. */
    public java.net.URI sesEndpoint() {
        return ses.endpoint();
    }

    /**
     * Tests only: the fault proxies and hooks of a stack started with
     * {@link StackOptions#withFaultInjection()}.
     *
     * @throws IllegalStateException if the stack was started without them
     */
    public Faults faults() {
        if (faults == null) {
            throw new IllegalStateException("this stack was started without fault injection (StackOptions.withFaultInjection())");
        }
        return faults;
    }

    @Override
    public void close() {
        synchronized (resources) {
            while (!resources.isEmpty()) {
                AutoCloseable resource = resources.pop();
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("[local] stopping " + resource.getClass().getSimpleName() + " failed: " + e.getMessage());
                }
            }
        }
    }
}
