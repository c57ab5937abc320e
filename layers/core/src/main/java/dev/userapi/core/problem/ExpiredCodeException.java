package dev.userapi.core.problem;

/** 400: a confirmation or reset code has expired. */
public class ExpiredCodeException extends ApiException {
    public ExpiredCodeException() {
        this("The code has expired; ask for a new one.");
    }

    public ExpiredCodeException(String detail) {
        super(ErrorCode.ExpiredCode, detail);
    }

    public ExpiredCodeException(String detail, Throwable cause) {
        super(ErrorCode.ExpiredCode, detail, cause);
    }
}
