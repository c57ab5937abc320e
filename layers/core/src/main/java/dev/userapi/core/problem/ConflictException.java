package dev.userapi.core.problem;

/** 409. */
public class ConflictException extends ApiException {
    public ConflictException() {
        this("The request conflicts with the current state.");
    }

    public ConflictException(String detail) {
        super(ErrorCode.Conflict, detail);
    }

    public ConflictException(String detail, Throwable cause) {
        super(ErrorCode.Conflict, detail, cause);
    }
}
