package dev.userapi.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/**
 * Calls one handler instance the way the Lambda Java runtime does: JSON in, JSON out. The input and
 * output types come from the handler's {@link RequestHandler} type arguments (or the parameters of
 * the method the template names), and JSON is converted with the runtime's own serialization
 * library: the event serializers for the events Lambda knows (API Gateway proxy events...), its
 * Jackson configuration for everything else (authorizer responses, Cognito trigger events, maps).
 * A {@link RequestStreamHandler} gets the raw bytes.
 */
final class HandlerInvoker {
    private interface Call {
        byte[] invoke(byte[] payload, Context context) throws Exception;
    }

    private final Call call;

    private HandlerInvoker(Call call) {
        this.call = call;
    }

    byte[] invoke(byte[] payload, Context context) throws Exception {
        return call.invoke(payload, context);
    }

    /** Prepares calls to {@code handler}, whose template entry names {@code methodName}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static HandlerInvoker of(Object handler, String methodName, ClassLoader loader) {
        if (handler instanceof RequestStreamHandler stream) {
            return new HandlerInvoker((payload, context) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                stream.handleRequest(new ByteArrayInputStream(payload), out, context);
                return out.toByteArray();
            });
        }
        if (handler instanceof RequestHandler typed) {
            Type[] types = typeArguments(handler.getClass(), RequestHandler.class);
            PojoSerializer<Object> in = serializer(types == null ? Object.class : types[0], loader);
            Type outType = types == null ? Object.class : types[1];
            return new HandlerInvoker((payload, context) -> {
                Object input = payload.length == 0 ? null : in.fromJson(new ByteArrayInputStream(payload));
                Object output = typed.handleRequest(input, context);
                return write(output, outType, loader);
            });
        }
        return reflective(handler, methodName, loader);
    }

    /** A handler that implements neither interface: the named public method, {@code (input[, Context])} or {@code (InputStream, OutputStream[, Context])}. */
    private static HandlerInvoker reflective(Object handler, String methodName, ClassLoader loader) {
        for (Method method : handler.getClass().getMethods()) {
            if (!method.getName().equals(methodName) || method.isBridge()) {
                continue;
            }
            Class<?>[] params = method.getParameterTypes();
            if (params.length >= 2 && params[0] == InputStream.class && params[1] == OutputStream.class) {
                return new HandlerInvoker((payload, context) -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    Object[] args = params.length == 3 ? new Object[] {new ByteArrayInputStream(payload), out, context}
                            : new Object[] {new ByteArrayInputStream(payload), out};
                    method.invoke(handler, args);
                    return out.toByteArray();
                });
            }
            if (params.length == 1 || params.length == 2 && params[1] == Context.class) {
                PojoSerializer<Object> in = serializer(method.getGenericParameterTypes()[0], loader);
                Type outType = method.getGenericReturnType();
                return new HandlerInvoker((payload, context) -> {
                    Object input = payload.length == 0 ? null : in.fromJson(new ByteArrayInputStream(payload));
                    Object output = params.length == 2 ? method.invoke(handler, input, context) : method.invoke(handler, input);
                    return write(output, outType, loader);
                });
            }
        }
        throw new IllegalArgumentException(handler.getClass().getName() + " has no usable public method " + methodName);
    }

    private static byte[] write(Object output, Type declared, ClassLoader loader) throws IOException {
        if (output == null || declared == Void.class || declared == void.class) {
            return "null".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        Type type = declared instanceof Class<?> c && c != Object.class ? declared
                : declared instanceof ParameterizedType ? declared : output.getClass();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer(type, loader).toJson(output, out);
        return out.toByteArray();
    }

    /** The runtime's choice: its event serializers for the events it supports, its Jackson for the rest. */
    @SuppressWarnings("unchecked")
    static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
        if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(c, loader);
        }
        if (type instanceof TypeVariable<?>) {
            type = Object.class;
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    /**
     * The actual type arguments with which {@code type} implements the generic interface
     * {@code target}, following superclasses and super-interfaces (e.g. a handler extending an
     * abstract base class that implements {@code RequestHandler<In, Out>}). Null if unknown.
     */
    static Type[] typeArguments(Type type, Class<?> target) {
        return find(type, target, new HashMap<>());
    }

    private static Type[] find(Type type, Class<?> target, Map<TypeVariable<?>, Type> bindings) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> scope = new HashMap<>(bindings);
        if (type instanceof ParameterizedType parameterized) {
            raw = (Class<?>) parameterized.getRawType();
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] actual = parameterized.getActualTypeArguments();
            for (int i = 0; i < variables.length; i++) {
                scope.put(variables[i], bind(actual[i], bindings));
            }
            if (raw == target) {
                Type[] result = new Type[actual.length];
                for (int i = 0; i < actual.length; i++) {
                    result[i] = bind(actual[i], bindings);
                }
                return result;
            }
        } else if (type instanceof Class<?> c) {
            raw = c;
            if (raw == target) {
                return null;
            }
        } else {
            return null;
        }
        for (Type parent : raw.getGenericInterfaces()) {
            Type[] found = find(parent, target, scope);
            if (found != null) {
                return found;
            }
        }
        Type superclass = raw.getGenericSuperclass();
        return superclass == null ? null : find(superclass, target, scope);
    }

    private static Type bind(Type type, Map<TypeVariable<?>, Type> bindings) {
        return type instanceof TypeVariable<?> variable ? bindings.getOrDefault(variable, type) : type;
    }
}
