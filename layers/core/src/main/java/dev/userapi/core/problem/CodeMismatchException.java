package dev.userapi.core.problem;

/** A confirmation, reset or MFA code is wrong: 400, or 401 when it is the second factor of a login. */
public class CodeMismatchException extends ApiException {
    public CodeMismatchException() {
        this("The code is not correct.");
    }

    public CodeMismatchException(String detail) {
        super(ErrorCode.CodeMismatch, detail);
    }

    private CodeMismatchException(int status, String detail) {
        super(ErrorCode.CodeMismatch, status, detail, null);
    }

    /** The MFA code of a login is wrong: the login fails, so the answer is 401. */
    /** A wrong code at a sign-in step, with its own detail (401: nothing is signed in yet). */
    public static CodeMismatchException atLogin(String detail) {
        return new CodeMismatchException(401, detail);
    }

    public static CodeMismatchException atLogin() {
        return new CodeMismatchException(401, "The MFA code is not correct.");
    }
}
