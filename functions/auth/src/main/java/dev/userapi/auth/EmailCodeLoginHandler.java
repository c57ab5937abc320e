package dev.userapi.auth;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.core.http.JsonBody;
import dev.userapi.core.mail.MailConfig;
import dev.userapi.core.mail.Mailer;
import dev.userapi.identity.Components;
import dev.userapi.identity.EmailCodeService;
import java.util.Map;

/** {@code POST /auth/login/email-code}: e-mails a one-time sign-in code; 200 {@code {session}} for every address. */
public final class EmailCodeLoginHandler extends ApiHandler {
    private final EmailCodeService codes;

    /** Used by the Lambda runtime: wired from the process environment. */
    public EmailCodeLoginHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public EmailCodeLoginHandler(Map<String, String> env) {
        this(Components.from(env), env);
    }

    private EmailCodeLoginHandler(Components c, Map<String, String> env) {
        this(EmailCodeService.from(c, Mailer.from(MailConfig.from(env), c.config())), c.cors());
    }

    EmailCodeLoginHandler(EmailCodeService codes, Cors cors) {
        super(cors);
        this.codes = codes;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("email");
        return ApiResponse.ok(codes.start(body.requiredEmail("email")));
    }
}
