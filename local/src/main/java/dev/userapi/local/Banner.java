package dev.userapi.local;


/** The start-up banner: where everything is, and how to sign in as the administrator. */
final class Banner {
    private Banner() {
    }

    static String of(DevStack stack) {
        StringBuilder b = new StringBuilder("\n");
        b.append("  User API - local stack is up (template.yaml, stage ").append(stack.stage()).append(")\n\n");
        line(b, "API", stack.apiUrl() + "   (try: curl " + stack.apiUrl() + "/health)");
        line(b, "Outbox", stack.apiUrl() + "/_local/outbox?email=<address>");
        line(b, "Web client", stack.apiUrl() + "/app/");
        line(b, "Cognito", stack.cognitoEndpoint() + "   (cognito-local; functions use the compatibility layer at "
                + stack.cognitoCompatEndpoint() + ")");
        line(b, "Issuer", stack.issuer());
        line(b, "User pool", stack.userPoolId() + "   app client " + stack.userPoolClientId());
        line(b, "DynamoDB", stack.dynamoDbEndpoint() + "   table " + stack.tableName()
                + (stack.options().inMemory() ? "   (in memory)" : "   (data in " + stack.options().dataDir() + ")"));
        line(b, "Lambda Invoke", stack.lambdaEndpoint() + "/2015-03-31/functions/<FunctionLogicalId>/invocations");
        stack.admin().ifPresent(admin -> line(b, "Administrator", admin.email() + "   password " + admin.password()
                + "   (" + admin.state() + "; LOCAL_ADMIN_EMAIL / LOCAL_ADMIN_PASSWORD)"));
        long missing = stack.functions().stream().filter(f -> !f.hasCode()).count();
        line(b, "Functions", stack.functions().size() + (missing == 0 ? "" : "   (" + missing + " without code yet: see below)"));
        if (!stack.warnings().isEmpty()) {
            b.append("\n  Warnings:\n");
            stack.warnings().forEach(w -> b.append("   - ").append(w).append('\n'));
        }
        b.append("\n  Ctrl-C stops everything.\n");
        return b.toString();
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append("  ").append(String.format("%-14s", label)).append(value).append('\n');
    }
}
