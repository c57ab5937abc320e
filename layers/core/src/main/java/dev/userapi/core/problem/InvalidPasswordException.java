package dev.userapi.core.problem;

/** 400: a new password does not meet the user pool's password policy. */
public class InvalidPasswordException extends ApiException {
    public InvalidPasswordException() {
        this("The password does not meet the password policy.");
    }

    public InvalidPasswordException(String detail) {
        super(ErrorCode.InvalidPassword, detail);
    }

    public InvalidPasswordException(String detail, Throwable cause) {
        super(ErrorCode.InvalidPassword, detail, cause);
    }
}
