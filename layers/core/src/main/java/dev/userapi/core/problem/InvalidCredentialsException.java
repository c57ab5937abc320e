package dev.userapi.core.problem;

/**
 * 401: the same answer for an unknown account and a wrong password; 403 when a signed-in caller
 * re-enters a password or code (their token is fine: 401 would tell the client it is not).
 */
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

    private InvalidCredentialsException(int status, String detail) {
        super(ErrorCode.InvalidCredentials, status, detail, null);
    }

    /** A signed-in caller's current password or code is wrong: 403, since the token itself was accepted. */
    public static InvalidCredentialsException ofSignedInCaller(String detail) {
        return new InvalidCredentialsException(403, detail);
    }
}
