package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.core.mail.MailConfig;
import dev.userapi.core.mail.Mailer;
import dev.userapi.identity.ClientInfo;
import dev.userapi.identity.Components;
import dev.userapi.identity.EmailCodeService;
import java.util.Map;

/** {@code POST /auth/login/email-code/verify}: signs in with the e-mailed code; attempt-limited; 403 {@code MfaRequired} for a TOTP account. */
public final class EmailCodeVerifyHandler extends ApiHandler {
    private final EmailCodeService codes;

    /** Used by the Lambda runtime: wired from the process environment. */
    public EmailCodeVerifyHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public EmailCodeVerifyHandler(Map<String, String> env) {
        this(Components.from(env), env);
    }

    private EmailCodeVerifyHandler(Components c, Map<String, String> env) {
        this(EmailCodeService.from(c, Mailer.from(MailConfig.from(env), c.config())), c.cors());
    }

    EmailCodeVerifyHandler(EmailCodeService codes, Cors cors) {
        super(cors);
        this.codes = codes;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email", "session", "code");
        return AuthResponses.of(codes.verify(body.requiredEmail("email"), body.requiredString("session", 4096),
                body.requiredCode("code"), new ClientInfo(request.sourceIp(), request.userAgent())));
    }
}
