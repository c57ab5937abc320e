package dev.userapi.core.problem;

/**
 * The stable, machine-readable error codes of the API ({@code code} in every problem+json body),
 * with the HTTP status and title each one always has.
 */
public enum ErrorCode {
    InvalidRequest(400, "The request is not valid"),
    InvalidPassword(400, "The password does not meet the password policy"),
    CodeMismatch(400, "The code is not correct"),
    ExpiredCode(400, "The code has expired"),
    InvalidCredentials(401, "The credentials are not valid"),
    Unauthorized(401, "Authentication is required"),
    UserNotConfirmed(403, "The account is not confirmed yet"),
    PasswordResetRequired(403, "The password must be reset before signing in"),
    MfaRequired(403, "Multi-factor authentication is required"),
    Forbidden(403, "The caller may not do this"),
    ReauthenticationRequired(403, "A recent sign-in is required"),
    NotFound(404, "The resource does not exist"),
    Conflict(409, "The request conflicts with the current state"),
    Gone(410, "The resource is no longer available"),
    PreconditionFailed(412, "The resource has changed since it was read"),
    TooManyRequests(429, "Too many requests"),
    InternalError(500, "Internal error"),
    ServiceUnavailable(503, "A service the API depends on is unavailable");

    private final int status;
    private final String title;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem {@code type} URI: a stable identifier that documentation can resolve. */
    public String type() {
        return type;
    }

    private final String type = "https://userapi.dev/problems/" + kebab(name());

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
