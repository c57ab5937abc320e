package dev.userapi.core.problem;

/** 401: the same answer for an unknown account and a wrong password. */
public class InvalidCredentialsException extends ApiException {
    public InvalidCredentialsException() {
        this("The e-mail or password is not correct.");
    }

    public InvalidCredentialsException(String detail) {
        super(ErrorCode.InvalidCredentials, detail);
    }

    public InvalidCredentialsException(String detail, Throwable cause) {
        super(ErrorCode.InvalidCredentials, detail, cause);
    }
}
