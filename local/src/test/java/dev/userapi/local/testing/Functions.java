package dev.userapi.local.testing;

import dev.userapi.local.lambda.LambdaFunction;

/**
 * Whether a function of the template has code yet. While functions are being written, a route's
 * end-to-end test asserts what the stack really does without it (a 502 naming the function) and
 * asserts the route's contract once the handler exists, so neither state passes by accident.
 */
public final class Functions {
    private Functions() {
    }

    public static boolean hasCode(String functionId) {
        return TestStack.get().functions().stream().filter(f -> f.id().equals(functionId)).findFirst()
                .map(LambdaFunction::hasCode)
                .orElseThrow(() -> new AssertionError("No function " + functionId + " in template.yaml"));
    }
}
