package dev.userapi.core.problem;

/** 412: a stale If-Match or version. */
public class PreconditionFailedException extends ApiException {
    public PreconditionFailedException() {
        this("The resource has changed since it was read; read it again and retry.");
    }

    public PreconditionFailedException(String detail) {
        super(ErrorCode.PreconditionFailed, detail);
    }

    public PreconditionFailedException(String detail, Throwable cause) {
        super(ErrorCode.PreconditionFailed, detail, cause);
    }
}
