package dev.userapi.core.problem;

/** 401: no valid access token. */
public class UnauthorizedException extends ApiException {
    public UnauthorizedException() {
        this("A valid access token is required.");
    }

    public UnauthorizedException(String detail) {
        super(ErrorCode.Unauthorized, detail);
    }

    public UnauthorizedException(String detail, Throwable cause) {
        super(ErrorCode.Unauthorized, detail, cause);
    }
}
