package dev.userapi.core.problem;

/** 400: the request is malformed or breaks a rule of the contract. */
public class InvalidRequestException extends ApiException {
    public InvalidRequestException() {
        this("The request is not valid.");
    }

    public InvalidRequestException(String detail) {
        super(ErrorCode.InvalidRequest, detail);
    }

    public InvalidRequestException(String detail, Throwable cause) {
        super(ErrorCode.InvalidRequest, detail, cause);
    }
}
