package dev.userapi.core.problem;

/** 429 with a {@code Retry-After} in seconds: throttled by the API or by Cognito's own limits. */
public class TooManyRequestsException extends ApiException {
    private final int retryAfterSeconds;

    public TooManyRequestsException(int retryAfterSeconds, Throwable cause) {
        super(ErrorCode.TooManyRequests, "Too many requests; retry after " + retryAfterSeconds + " seconds.", cause);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
