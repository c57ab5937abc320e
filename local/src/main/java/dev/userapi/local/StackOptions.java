package dev.userapi.local;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to run the local stack: ports (0 = any free port), in-memory or persistent data, template
 * parameter overrides, and the seeded administrator.
 *
 * @param root               the project folder (holds {@code template.yaml})
 * @param apiPort            API Gateway's port (3000 by default)
 * @param bindAddress        where the API listens (loopback by default)
 * @param dataDir            where persistent data is kept (DynamoDB Local, cognito-local, the event queues and stream
 *                           position, the local KMS key): {@code .local} under {@code root} by default, {@code --data-dir}
 * @param parameterOverrides like {@code sam local --parameter-overrides}
 * @param adminEmail         the seeded administrator ({@code LOCAL_ADMIN_EMAIL})
 * @param adminPassword      its password ({@code LOCAL_ADMIN_PASSWORD})
 * @param seedAdmin          whether to create the administrator at start
 * @param faultInjection     tests only: put a {@link dev.userapi.local.faults.FaultProxy} between the
 *                           functions and DynamoDB Local, the Cognito layer and the JWKS, so a test can
 *                           make each of them fail ({@link DevStack#faults()})
 */
public record StackOptions(
        Path root,
        int apiPort,
        InetAddress bindAddress,
        int lambdaPort,
        int cognitoPort,
        int cognitoProxyPort,
        int dynamoDbPort,
        boolean inMemory,
        Path dataDir,
        Map<String, String> parameterOverrides,
        String adminEmail,
        String adminPassword,
        boolean seedAdmin,
        boolean faultInjection) {

    public static final String DEFAULT_ADMIN_EMAIL = "admin@example.com";
    public static final String DEFAULT_ADMIN_PASSWORD = "Local-Admin-Passw0rd!";
    public static final String USAGE = """
            usage: start-local.sh [--port 3000] [--in-memory | --data-dir DIR] [--parameter-overrides Key=Value ...]
                                  [--host 127.0.0.1] [--lambda-port N] [--cognito-port N] [--cognito-proxy-port N]
                                  [--dynamodb-port N] [--no-admin]
              --port                 the API's port (0 = any free port)
              --in-memory            keep no data (DynamoDB Local and cognito-local start empty and forget everything)
              --data-dir DIR         keep the data in DIR (default: .local in the project folder)
              --parameter-overrides  template parameters, like sam local: Key=Value Key2=Value2 (or one quoted string)
              --no-admin             do not create the seeded administrator
            environment: LOCAL_ADMIN_EMAIL, LOCAL_ADMIN_PASSWORD (the seeded administrator)""";

    public StackOptions {
        parameterOverrides = Map.copyOf(parameterOverrides);
    }

    /** The defaults, for tests and tools: every port free, data in memory, the default administrator. */
    public static StackOptions defaults(Path root) {
        return new StackOptions(root, 0, InetAddress.getLoopbackAddress(), 0, 0, 0, 0, true, new ProjectLayout(root).data(), Map.of(),
                DEFAULT_ADMIN_EMAIL, DEFAULT_ADMIN_PASSWORD, true, false);
    }

    public StackOptions withParameterOverrides(Map<String, String> overrides) {
        return new StackOptions(root, apiPort, bindAddress, lambdaPort, cognitoPort, cognitoProxyPort, dynamoDbPort, inMemory,
                dataDir, overrides, adminEmail, adminPassword, seedAdmin, faultInjection);
    }

    public StackOptions withoutAdmin() {
        return new StackOptions(root, apiPort, bindAddress, lambdaPort, cognitoPort, cognitoProxyPort, dynamoDbPort, inMemory,
                dataDir, parameterOverrides, adminEmail, adminPassword, false, faultInjection);
    }

    /** Persistent data in {@code dir} (tests: a throwaway stack that is stopped and started again on the same data). */
    public StackOptions withPersistentData(Path dir) {
        return new StackOptions(root, apiPort, bindAddress, lambdaPort, cognitoPort, cognitoProxyPort, dynamoDbPort, false,
                dir, parameterOverrides, adminEmail, adminPassword, seedAdmin, faultInjection);
    }

    /** Tests only: fault proxies in front of DynamoDB Local, the Cognito layer and the JWKS ({@link DevStack#faults()}). */
    public StackOptions withFaultInjection() {
        return new StackOptions(root, apiPort, bindAddress, lambdaPort, cognitoPort, cognitoProxyPort, dynamoDbPort, inMemory,
                dataDir, parameterOverrides, adminEmail, adminPassword, seedAdmin, true);
    }

    /** Reads the command line (see {@link #USAGE}) and the administrator's environment variables. */
    public static StackOptions parse(List<String> args, Map<String, String> environment) {
        int apiPort = 3000;
        int lambdaPort = 0;
        int cognitoPort = 0;
        int proxyPort = 0;
        int dynamoPort = 0;
        boolean inMemory = false;
        Path dataDir = null;
        boolean seedAdmin = true;
        InetAddress bind = InetAddress.getLoopbackAddress();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--port" -> apiPort = port(args, ++i, arg);
                case "--lambda-port" -> lambdaPort = port(args, ++i, arg);
                case "--cognito-port" -> cognitoPort = port(args, ++i, arg);
                case "--cognito-proxy-port" -> proxyPort = port(args, ++i, arg);
                case "--dynamodb-port" -> dynamoPort = port(args, ++i, arg);
                case "--in-memory" -> inMemory = true;
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--no-admin" -> seedAdmin = false;
                case "--host" -> bind = host(value(args, ++i, arg));
                case "--parameter-overrides" -> {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new IllegalArgumentException("--parameter-overrides needs Key=Value pairs");
                    }
                    while (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                        overrides.putAll(parameterOverrides(args.get(++i)));
                    }
                }
                default -> throw new IllegalArgumentException("Unknown option " + arg);
            }
        }
        String email = Optional.ofNullable(environment.get("LOCAL_ADMIN_EMAIL")).filter(s -> !s.isBlank())
                .map(String::trim).orElse(DEFAULT_ADMIN_EMAIL).toLowerCase(java.util.Locale.ROOT);
        String password = Optional.ofNullable(environment.get("LOCAL_ADMIN_PASSWORD")).filter(s -> !s.isEmpty())
                .orElse(DEFAULT_ADMIN_PASSWORD);
        Path root = ProjectLayout.findRoot();
        return new StackOptions(root, apiPort, bind, lambdaPort, cognitoPort, proxyPort, dynamoPort, inMemory,
                dataDir == null ? new ProjectLayout(root).data() : dataDir, overrides, email, password, seedAdmin, false);
    }

    /**
     * SAM's forms: {@code Key=Value Key2=Value2} (one or several arguments) and
     * {@code ParameterKey=Key,ParameterValue=Value}.
     */
    static Map<String, String> parameterOverrides(String text) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String token : text.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            if (token.startsWith("ParameterKey=")) {
                String[] parts = token.split(",", 2);
                if (parts.length != 2 || !parts[1].startsWith("ParameterValue=")) {
                    throw new IllegalArgumentException("Expected ParameterKey=Key,ParameterValue=Value, got " + token);
                }
                overrides.put(parts[0].substring("ParameterKey=".length()), parts[1].substring("ParameterValue=".length()));
                continue;
            }
            int eq = token.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("Expected Key=Value, got " + token);
            }
            overrides.put(token.substring(0, eq), token.substring(eq + 1));
        }
        return overrides;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int port(List<String> args, int i, String option) {
        try {
            int port = Integer.parseInt(value(args, i, option));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a port number (0-65535)");
        }
    }

    private static InetAddress host(String name) {
        try {
            return InetAddress.getByName(name);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Unknown host " + name);
        }
    }
}
