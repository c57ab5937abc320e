package dev.userapi.core.problem;

/** 404. */
public class NotFoundException extends ApiException {
    public NotFoundException() {
        this("The resource does not exist.");
    }

    public NotFoundException(String detail) {
        super(ErrorCode.NotFound, detail);
    }

    public NotFoundException(String detail, Throwable cause) {
        super(ErrorCode.NotFound, detail, cause);
    }
}
