package dev.userapi.core.problem;

/** 410: what the request names existed but can no longer be used (an expired, revoked or used invitation). */
public class GoneException extends ApiException {
    public GoneException(String detail) {
        super(ErrorCode.Gone, detail);
    }

    public GoneException(String detail, Throwable cause) {
        super(ErrorCode.Gone, detail, cause);
    }
}
