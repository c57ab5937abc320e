package dev.userapi.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** docs/openapi.yaml as the tests read it: its operations, and {@code $ref}s followed within the document. */
final class OpenApi {
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private final Map<String, Object> root;

    private OpenApi(Map<String, Object> root) {
        this.root = root;
    }

    static OpenApi load() {
        return new OpenApi(Y.map(CfnYaml.load(Repo.read("docs/openapi.yaml"))));
    }

    Map<String, Object> root() {
        return root;
    }

    record Operation(String method, String path, Map<String, Object> op, List<Object> pathParameters) {
        String key() {
            return method + " " + path;
        }

        String operationId() {
            return Y.str(op.get("operationId"));
        }

        Map<String, Object> responses() {
            return Y.map(op.get("responses"));
        }

        /** Path-level parameters, then the operation's own. */
        List<Object> parameters() {
            List<Object> all = new ArrayList<>(pathParameters);
            all.addAll(Y.list(op.get("parameters")));
            return all;
        }
    }

    List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        Y.map(root.get("paths")).forEach((path, item) -> Y.map(item).forEach((key, value) -> {
            if (METHODS.contains(key)) {
                ops.add(new Operation(key.toUpperCase(Locale.ROOT), path, Y.map(value), Y.list(Y.map(item).get("parameters"))));
            }
        }));
        return ops;
    }

    /** The security requirements that apply: the operation's own, else the document's. */
    List<Object> security(Operation op) {
        return Y.list(op.op().containsKey("security") ? op.op().get("security") : root.get("security"));
    }

    /** Follows {@code $ref} (repeatedly) to what it names; anything else is returned as is. */
    Object resolve(Object node) {
        Object current = node;
        for (int i = 0; i < 16 && current instanceof Map<?, ?> m && m.get("$ref") instanceof String ref; i++) {
            current = pointer(ref);
        }
        return current;
    }

    Map<String, Object> resolveMap(Object node) {
        return Y.map(resolve(node));
    }

    /** The node a local reference ({@code #/a/b}) names, or an exception naming the reference. */
    Object pointer(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalStateException("not a local reference: " + ref);
        }
        Object current = root;
        for (String part : ref.substring(2).split("/")) {
            String key = part.replace("~1", "/").replace("~0", "~");
            if (!(current instanceof Map<?, ?> m) || !m.containsKey(key)) {
                throw new IllegalStateException("unresolved reference: " + ref);
            }
            current = m.get(key);
        }
        return current;
    }
}
