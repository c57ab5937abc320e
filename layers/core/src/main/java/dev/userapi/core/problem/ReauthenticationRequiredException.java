package dev.userapi.core.problem;

/**
 * 403: the route needs a recent sign-in ("sudo mode"): the access token's {@code auth_time} is older
 * than the re-authentication window. {@code POST /auth/reauthenticate} renews it.
 */
public class ReauthenticationRequiredException extends ApiException {
    public ReauthenticationRequiredException() {
        super(ErrorCode.ReauthenticationRequired,
                "This needs a recent sign-in: confirm your password (POST /auth/reauthenticate) and try again.");
    }
}
