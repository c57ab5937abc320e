package dev.userapi.account;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.core.mail.MailConfig;
import dev.userapi.core.mail.Mailer;
import dev.userapi.identity.ClientInfo;
import dev.userapi.identity.Components;
import dev.userapi.identity.EmailChangeService;
import java.util.Map;

/**
 * {@code POST /me/email/verify}: 200 profile with the new e-mail, which signs in from now on (the old one no longer
 * does); 400 {@code CodeMismatch}; 409 when the address was taken meanwhile.
 */
public final class VerifyEmailChangeHandler extends ApiHandler {
    private final EmailChangeService emails;

    /** Used by the Lambda runtime: wired from the process environment. */
    public VerifyEmailChangeHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public VerifyEmailChangeHandler(Map<String, String> env) {
        this(Components.from(env), env);
    }

    private VerifyEmailChangeHandler(Components c, Map<String, String> env) {
        this(EmailChangeService.from(c, Mailer.from(MailConfig.from(env), c.config())), c.cors());
    }

    VerifyEmailChangeHandler(EmailChangeService emails, Cors cors) {
        super(cors);
        this.emails = emails;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("code");
        var profile = emails.verify(request.caller(), body.requiredCode("code"), new ClientInfo(request.sourceIp(), request.userAgent()));
        return ApiResponse.ok(profile.toJson()).etag(profile.version());
    }
}
