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
 * {@code POST /me/email}: 202; a code goes to the new address and a notice to the current one; the current address
 * keeps working until the code is verified. The same 202 when the new address has an account (no code then).
 */
public final class ChangeEmailHandler extends ApiHandler {
    private final EmailChangeService emails;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ChangeEmailHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ChangeEmailHandler(Map<String, String> env) {
        this(Components.from(env), env);
    }

    private ChangeEmailHandler(Components c, Map<String, String> env) {
        this(EmailChangeService.from(c, Mailer.from(MailConfig.from(env), c.config())), c.cors());
    }

    ChangeEmailHandler(EmailChangeService emails, Cors cors) {
        super(cors);
        this.emails = emails;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.body().allowOnly("newEmail", "password");
        emails.start(request.caller(), body.requiredEmail("newEmail"), body.requiredPassword("password"),
                new ClientInfo(request.sourceIp(), request.userAgent()));
        return ApiResponse.accepted(Map.of("status", "CODE_SENT_IF_ADDRESS_IS_FREE"));
    }
}
