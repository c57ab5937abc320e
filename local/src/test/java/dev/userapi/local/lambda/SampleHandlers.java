package dev.userapi.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.userapi.core.config.Env;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Handlers of every shape the local runtime must call, for its tests. */
public final class SampleHandlers {
    static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    private SampleHandlers() {
    }

    /** Generic base class: the runtime must find {@code RequestHandler<In, Out>} through it. */
    public abstract static class Base<I, O> implements RequestHandler<I, O> {
    }

    /** Reads its configuration once, in the constructor it is given its environment by, like our handlers. */
    public static final class Proxy extends Base<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        private final String greeting;

        public Proxy() {
            this(System.getenv());
        }

        public Proxy(Map<String, String> env) {
            CONSTRUCTED.incrementAndGet();
            greeting = Env.require(env, "GREETING");
        }

        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            return new APIGatewayProxyResponseEvent().withStatusCode(200).withHeaders(Map.of("X-Path", event.getPath()))
                    .withBody(greeting + " " + event.getQueryStringParameters().get("name") + " from "
                            + event.getRequestContext().getIdentity().getSourceIp() + " as " + context.getFunctionName());
        }
    }

    public static final class Maps implements RequestHandler<Map<String, Object>, List<String>> {
        private final String greeting;

        public Maps(Map<String, String> env) {
            greeting = env.get("GREETING");
        }

        @Override
        public List<String> handleRequest(Map<String, Object> input, Context context) {
            return List.of(String.valueOf(input.get("a")), greeting);
        }
    }

    public static final class Stream implements RequestStreamHandler {
        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) throws java.io.IOException {
            output.write(("{\"echo\":" + new String(input.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8) + "}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    public static final class Throws implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            throw new IllegalStateException("Unauthorized");
        }
    }

    public static final class Slow implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "late";
        }
    }

    public static final class BrokenConstructor implements RequestHandler<Map<String, Object>, String> {
        public BrokenConstructor() {
            throw new IllegalStateException("Missing environment variable TABLE_NAME");
        }

        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            return "never";
        }
    }

    /** A TOKEN authorizer: "allow-*" tokens get a policy for GET only, "deny" a Deny, anything else Unauthorized. */
    public static final class Authorizer implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        public static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
            CALLS.incrementAndGet();
            String token = String.valueOf(event.get("authorizationToken")).substring("Bearer ".length());
            if (token.equals("deny")) {
                return policy("Deny", "*", Map.of());
            }
            if (token.equals("bad-context")) {
                return policy("Allow", "*", Map.of("nested", Map.of("no", "objects")));
            }
            if (!token.startsWith("allow-")) {
                throw new RuntimeException("Unauthorized");
            }
            String arn = String.valueOf(event.get("methodArn"));
            String base = arn.substring(0, arn.indexOf('/') + 1);
            return policy("Allow", base + "*/GET/*", Map.of("sub", token, "admin", false, "count", 3));
        }

        private static Map<String, Object> policy(String effect, String resource, Map<String, Object> context) {
            return Map.of("principalId", "user-1", "context", context, "policyDocument", Map.of("Version", "2012-10-17",
                    "Statement", List.of(Map.of("Effect", effect, "Action", "execute-api:Invoke", "Resource", resource))));
        }
    }

    /** Spins until its own thread has used {@code cpuMillis} of CPU (not of wall time: a loaded machine only slows it). */
    public static final class Spins implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long until = threads.getCurrentThreadCpuTime() + ((Number) input.get("cpuMillis")).longValue() * 1_000_000L;
            long spins = 0;
            while (threads.getCurrentThreadCpuTime() < until) {
                spins++;
            }
            return "spun " + spins;
        }
    }

    /** Sleeps {@code sleepMillis}: wall time without CPU. */
    public static final class Sleeps implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            try {
                Thread.sleep(((Number) input.get("sleepMillis")).longValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "slept";
        }
    }
}
