package dev.userapi.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userapi.core.json.Json;
import dev.userapi.core.log.Log;
import dev.userapi.local.lambda.FunctionError;
import dev.userapi.local.lambda.LambdaFunction;
import dev.userapi.local.template.TemplateException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local equivalent of {@code sam local invoke}: starts the local services (in memory, on free
 * ports), invokes one function of the template with an event file, prints the function's response
 * on standard output (logs go to standard error) and stops everything.
 *
 * <pre>invoke &lt;FunctionLogicalId&gt; [-e events/&lt;file&gt;.json] [--parameter-overrides Key=Value ...]</pre>
 *
 * Exit status: 0 when the function returned, 1 when it failed (its error document is printed), 2 for usage errors.
 */
public final class Invoke {
    static final String USAGE = "usage: invoke.sh <FunctionLogicalId> [-e events/<file>.json] [--parameter-overrides Key=Value ...]";

    private Invoke() {
    }

    public static void main(String[] args) {
        PrintStream response = System.out;
        System.setOut(System.err);
        Log.redirect(System.err);
        String functionId = null;
        Path event = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        List<String> list = List.of(args);
        try {
            for (int i = 0; i < list.size(); i++) {
                String arg = list.get(i);
                switch (arg) {
                    case "-e", "--event" -> event = Path.of(value(list, ++i, arg));
                    case "--parameter-overrides" -> {
                        while (i + 1 < list.size() && !list.get(i + 1).startsWith("-")) {
                            overrides.putAll(StackOptions.parameterOverrides(list.get(++i)));
                        }
                    }
                    case "-h", "--help" -> {
                        response.println(USAGE);
                        return;
                    }
                    default -> {
                        if (arg.startsWith("-") || functionId != null) {
                            throw new IllegalArgumentException("Unexpected argument " + arg);
                        }
                        functionId = arg;
                    }
                }
            }
            if (functionId == null) {
                throw new IllegalArgumentException("Name the function to invoke (its logical ID in template.yaml)");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        byte[] payload;
        try {
            payload = event == null ? "{}".getBytes(StandardCharsets.UTF_8) : Files.readAllBytes(event);
        } catch (IOException e) {
            System.err.println("Cannot read the event " + event + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        try (DevStack stack = DevStack.start(StackOptions.defaults(ProjectLayout.findRoot()).withoutAdmin()
                .withParameterOverrides(overrides))) {
            status = invoke(stack, functionId, payload, response);
        } catch (StartupException | TemplateException e) {
            System.err.println("Cannot start the local services: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    /** Invokes and prints; returns the exit status. */
    static int invoke(DevStack stack, String functionId, byte[] payload, PrintStream out) {
        LambdaFunction function = stack.functions().stream().filter(f -> f.id().equals(functionId)).findFirst().orElse(null);
        if (function == null) {
            List<String> known = new ArrayList<>();
            stack.functions().forEach(f -> known.add(f.id()));
            System.err.println("No function " + functionId + " in template.yaml; known: " + String.join(", ", known));
            return 2;
        }
        try {
            out.println(pretty(function.invoke(payload)));
            return 0;
        } catch (FunctionError e) {
            System.err.println(functionId + " failed: " + e.errorType() + ": " + e.getMessage());
            out.println(pretty(e.payload()));
            return 1;
        }
    }

    private static String pretty(byte[] json) {
        try {
            JsonNode node = Json.mapper().readTree(json);
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return new String(json, StandardCharsets.UTF_8);
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }
}
