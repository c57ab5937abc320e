package dev.userapi.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import dev.userapi.lambdacontext.StandInContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A cold start, the way the Lambda Java runtime does one, in a fresh JVM: the handler class named by
 * the template's {@code Handler} is loaded by reflection and built with its no-arg constructor
 * (initialisation), then one event is deserialised with the runtime's own serialisation library, passed
 * to {@code handleRequest}, and the answer serialised (the first invocation).
 *
 * <pre>java -cp &lt;launcher + stand-in Context + runtime serialisation + function artifact + layer jars&gt; dev.userapi.bench.LambdaLauncher
 *     &lt;package.Class::method&gt; &lt;event.json&gt;</pre>
 *
 * Prints {@code BENCH-COLD main=<µs> init=<µs> response=<µs>} (epoch microseconds: when {@code main} began,
 * when the constructor returned, when the answer was serialised), then {@code BENCH-RESPONSE <json>} or
 * {@code BENCH-ERROR <exception>}. The driver subtracts the instant it started the process. Then, untimed, the memory
 * used after that event and after {@code -Dbench.warm=N} more ({@code BENCH-MEMORY}, see {@link #memory}).
 */
public final class LambdaLauncher {
    private LambdaLauncher() {
    }

    public static void main(String[] args) throws Exception {
        long mainAt = micros();
        String handler = args[0];
        Path event = Path.of(args[1]);
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        ClassLoader loader = LambdaLauncher.class.getClassLoader();
        Object instance;
        byte[] payload;
        byte[] response;
        long initAt;
        long primedAt;
        try {
            instance = Class.forName(className, true, loader).getDeclaredConstructor().newInstance();
            initAt = micros();
            if (Boolean.getBoolean("bench.prime")) {
                prime(instance, loader);
            }
            primedAt = micros();
            payload = Files.readAllBytes(event);
            response = invoke(instance, payload, loader);
            // CHECKSTYLE:OFF IllegalCatch: the child JVM reports any failure of the handler under test, Errors included
        } catch (Throwable e) {
            // CHECKSTYLE:ON IllegalCatch
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null ? e.getCause() : e;
            System.out.println("BENCH-ERROR " + cause + (cause.getStackTrace().length > 0 ? " at " + cause.getStackTrace()[0] : ""));
            System.out.flush();
            Runtime.getRuntime().halt(1);
            return;
        }
        long responseAt = micros();
        System.out.println("BENCH-COLD main=" + mainAt + " init=" + initAt + " primed=" + primedAt + " response=" + responseAt);
        System.out.println("BENCH-RESPONSE " + new String(response, StandardCharsets.UTF_8));
        memory(instance, payload, loader); // after the timed span: the GCs it forces must not count as the first invocation
        System.out.flush();
        Runtime.getRuntime().halt(0); // SDK and HTTP threads would only delay the exit; nothing is left to flush
    }

    /**
     * The memory the function uses, the local analogue of REPORT's {@code Max Memory Used}: after the first event and after
     * {@code -Dbench.warm} more invocations of the same event, the process's peak resident set so far ({@code VmHWM},
     * Linux only, -1 elsewhere; read before the GC, which must not count) and the heap and non-heap in use after a full
     * GC (the live set, which the heap's sizing does not change). Prints {@code BENCH-MEMORY key=value ...} and the
     * last warm answer as {@code BENCH-WARM-RESPONSE}.
     */
    private static void memory(Object instance, byte[] payload, ClassLoader loader) {
        StringBuilder line = new StringBuilder("BENCH-MEMORY");
        measureMemory(line, "first");
        int warm = Integer.getInteger("bench.warm", 0);
        int errors = 0;
        String last = "";
        for (int i = 0; i < warm; i++) {
            try {
                last = new String(invoke(instance, payload, loader), StandardCharsets.UTF_8);
                // CHECKSTYLE:OFF IllegalCatch: a failed warm invocation is counted, whatever it threw
            } catch (Exception e) {
                // CHECKSTYLE:ON IllegalCatch
                errors++;
                last = "error: " + e;
            }
        }
        line.append(" warm=").append(warm).append(" warmErrors=").append(errors);
        if (warm > 0) {
            measureMemory(line, "warm");
        }
        line.append(" maxHeapBytes=").append(Runtime.getRuntime().maxMemory());
        System.out.println(line);
        System.out.println("BENCH-WARM-RESPONSE " + last);
    }

    private static void measureMemory(StringBuilder line, String prefix) {
        long peakRssKb = peakRssKb();
        System.gc(); // a full collection with the JVM's default collectors (no -XX:+ExplicitGCInvokesConcurrent here)
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        line.append(' ').append(prefix).append("PeakRssKb=").append(peakRssKb)
                .append(' ').append(prefix).append("HeapUsedAfterGcBytes=").append(memory.getHeapMemoryUsage().getUsed())
                .append(' ').append(prefix).append("NonHeapUsedBytes=").append(memory.getNonHeapMemoryUsage().getUsed())
                .append(' ').append(prefix).append("HeapCommittedBytes=").append(memory.getHeapMemoryUsage().getCommitted());
    }

    /** {@code VmHWM} of /proc/self/status in kB (the process's peak resident set), or -1 where there is none. */
    static long peakRssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.substring("VmHWM:".length()).replace("kB", "").trim());
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * What SnapStart runs before the snapshot, without a CRaC JVM: the handler's own {@code beforeCheckpoint} if it is a
     * CRaC resource (authorizer, triggers), and the hooks registered with core's {@code Priming} (the route functions'
     * composition root). The restore itself is not simulated: the process, its heap and its JIT state simply continue.
     */
    private static void prime(Object instance, ClassLoader loader) throws Exception {
        if (instance instanceof org.crac.Resource resource) {
            resource.beforeCheckpoint(null);
        }
        try {
            Class.forName("dev.userapi.core.snapstart.Priming", true, loader).getMethod("primeAll").invoke(null);
        } catch (ClassNotFoundException e) {
            // hello world: nothing to prime
        }
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] invoke(Object handler, byte[] payload, ClassLoader loader) throws Exception {
        String function = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "bench");
        Context context = new StandInContext("00000000-0000-4000-8000-000000000000", function,
                "arn:aws:lambda:us-east-1:123456789012:function:" + function, 1024, System.currentTimeMillis() + 10_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (handler instanceof RequestStreamHandler stream) {
            stream.handleRequest(new ByteArrayInputStream(payload), out, context);
            return out.toByteArray();
        }
        RequestHandler typed = (RequestHandler) handler;
        Type[] types = typeArguments(handler.getClass());
        Object input = serializer(types[0], loader).fromJson(new ByteArrayInputStream(payload));
        Object output = typed.handleRequest(input, context);
        Type outType = types[1] instanceof Class<?> c && c != Object.class ? types[1] : output.getClass();
        serializer(outType, loader).toJson(output, out);
        return out.toByteArray();
    }

    /** The runtime's choice: its event serialisers for the events it knows, its Jackson for the rest. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
        if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(c, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    /** The type arguments of {@code RequestHandler<I, O>}, from the class or its superclasses. */
    private static Type[] typeArguments(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments();
                }
            }
        }
        return new Type[] {Object.class, Object.class};
    }
}
