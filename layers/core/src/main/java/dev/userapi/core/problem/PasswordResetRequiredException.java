package dev.userapi.core.problem;

/** 403: the account must reset its password before signing in. */
public class PasswordResetRequiredException extends ApiException {
    public PasswordResetRequiredException() {
        this("The password was reset by an administrator; set a new one with the code sent by e-mail.");
    }

    public PasswordResetRequiredException(String detail) {
        super(ErrorCode.PasswordResetRequired, detail);
    }

    public PasswordResetRequiredException(String detail, Throwable cause) {
        super(ErrorCode.PasswordResetRequired, detail, cause);
    }
}
