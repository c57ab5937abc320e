package dev.userapi.core.problem;

/**
 * 403: the account signs in only with its password and second factor; this way of signing in (an e-mailed code) is
 * not enough on its own. Told only to whoever proved control of the mailbox (the right code).
 */
public class MfaRequiredException extends ApiException {
    public MfaRequiredException() {
        super(ErrorCode.MfaRequired, "This account uses an authenticator app: sign in with your password and its code.");
    }
}
