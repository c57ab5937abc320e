package dev.userapi.core.snapstart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * For priming a typed handler's whole invocation: the event read from JSON and the answer written to JSON with the
 * <b>Lambda Java runtime's own serialisation</b> ({@code aws-lambda-java-serialization}: its event serialisers, the
 * ones the runtime converts API Gateway and Cognito events with before and after {@code handleRequest}), so that its
 * class loading and first compilation happen before the snapshot, not in the first request after a restore.
 *
 * <p>That library belongs to the runtime, not to the function: it is reached by reflection through the function's
 * class loader (on Lambda the runtime's class path is the parent of the function's; the benchmark's launcher and the
 * local stack put it on theirs). Where it cannot be found, the event is read with a plain Jackson mapper instead and
 * only the handler's own path is primed.
 */
public final class RuntimeEvents {
    private static final String SERIALIZERS = "com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers";
    private static final String POJO_SERIALIZER = "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer";
    private static final ObjectMapper FALLBACK = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RuntimeEvents() {
    }

    /** Reads {@code json} as the runtime would hand it to a handler taking {@code type}. */
    public static <T> T fromJson(Class<T> type, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Object serializer = serializer(type);
        try {
            if (serializer == null) {
                return FALLBACK.readValue(bytes, type);
            }
            Method from = pojoSerializer(serializer).getMethod("fromJson", InputStream.class);
            return type.cast(from.invoke(serializer, new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the runtime's serialisation could not read " + type.getSimpleName(), unwrap(e));
        }
    }

    /** Writes {@code value} as the runtime would write a handler's answer of {@code type}, and discards the bytes. */
    public static void toJson(Class<?> type, Object value) {
        Object serializer = serializer(type);
        try {
            if (serializer == null) {
                FALLBACK.writeValue(OutputStream.nullOutputStream(), value);
                return;
            }
            Method to = pojoSerializer(serializer).getMethod("toJson", Object.class, OutputStream.class);
            to.invoke(serializer, value, OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the runtime's serialisation could not write " + type.getSimpleName(), unwrap(e));
        }
    }

    /** Whether the runtime's serialisation is reachable from the function's class loader. */
    public static boolean runtimeSerializationAvailable() {
        return serializerClass(RuntimeEvents.class.getClassLoader()) != null;
    }

    private static Object serializer(Class<?> type) {
        ClassLoader loader = type.getClassLoader() == null ? RuntimeEvents.class.getClassLoader() : type.getClassLoader();
        Class<?> serializers = serializerClass(loader);
        if (serializers == null) {
            return null;
        }
        try {
            return serializers.getMethod("serializerFor", Class.class, ClassLoader.class).invoke(null, type, loader);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the runtime's serialisation has no serialiser for " + type.getSimpleName(), unwrap(e));
        }
    }

    /** The runtime's {@code PojoSerializer} interface, from the loader that made {@code serializer}. */
    private static Class<?> pojoSerializer(Object serializer) throws ClassNotFoundException {
        return Class.forName(POJO_SERIALIZER, true, serializer.getClass().getClassLoader());
    }

    private static Class<?> serializerClass(ClassLoader loader) {
        try {
            return Class.forName(SERIALIZERS, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Throwable unwrap(ReflectiveOperationException e) {
        return e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
    }
}
