package dev.userapi.core.problem;

/** 403: authenticated, but without the role this needs. */
public class ForbiddenException extends ApiException {
    public ForbiddenException() {
        this("The caller may not do this.");
    }

    public ForbiddenException(String detail) {
        super(ErrorCode.Forbidden, detail);
    }

    public ForbiddenException(String detail, Throwable cause) {
        super(ErrorCode.Forbidden, detail, cause);
    }
}
