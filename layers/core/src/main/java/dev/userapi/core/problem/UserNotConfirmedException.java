package dev.userapi.core.problem;

/** 403: correct password, unconfirmed account. */
public class UserNotConfirmedException extends ApiException {
    public UserNotConfirmedException() {
        this("The account is not confirmed; confirm it with the code sent by e-mail.");
    }

    public UserNotConfirmedException(String detail) {
        super(ErrorCode.UserNotConfirmed, detail);
    }

    public UserNotConfirmedException(String detail, Throwable cause) {
        super(ErrorCode.UserNotConfirmed, detail, cause);
    }
}
