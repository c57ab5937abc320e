package dev.userapi.local.template;

/**
 * One throttling entry of the stage's {@code MethodSettings}: {@code ResourcePath} (escaped as in
 * CloudFormation, {@code /~1auth~1login}; {@code /*} for every resource) and {@code HttpMethod}
 * ({@code *} for every method), with the steady rate (requests per second) and the burst.
 */
public record MethodThrottling(String resourcePath, String httpMethod, double rateLimit, int burstLimit) {
    /**
     * The resource path: CloudFormation writes a leading {@code /} and then the path with each
     * {@code /} escaped as {@code ~1}: {@code /~1auth~1login} → {@code /auth/login}.
     */
    public String resource() {
        String escaped = resourcePath.startsWith("/") ? resourcePath.substring(1) : resourcePath;
        return escaped.replace("~1", "/").replace("~0", "~");
    }

    public boolean isStageDefault() {
        return resourcePath.equals("/*") && httpMethod.equals("*");
    }
}
