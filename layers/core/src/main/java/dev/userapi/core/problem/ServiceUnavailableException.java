package dev.userapi.core.problem;

/** 503: a dependency is down or timed out; nothing was written half-way. */
public class ServiceUnavailableException extends ApiException {
    public ServiceUnavailableException() {
        this("A service the API depends on is unavailable; try again later.");
    }

    public ServiceUnavailableException(String detail) {
        super(ErrorCode.ServiceUnavailable, detail);
    }

    public ServiceUnavailableException(String detail, Throwable cause) {
        super(ErrorCode.ServiceUnavailable, detail, cause);
    }
}
