package dev.userapi.core.problem;

import java.util.Objects;

/**
 * The root of the domain exceptions. Each carries a stable {@link ErrorCode} and a detail that is
 * safe to show to the client: never an SDK message, a token, a code or a password. The cause, if
 * any, is logged and never returned.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final int status;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    public ApiException(ErrorCode code, String detail, Throwable cause) {
        this(code, code.status(), detail, cause);
    }

    /** For the few routes where the contract gives a code another status (a wrong MFA code at login is 401). */
    protected ApiException(ErrorCode code, int status, String detail, Throwable cause) {
        super(Objects.requireNonNull(detail, "detail"), cause, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.status = status;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }
}
