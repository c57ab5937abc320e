package dev.userapi.webhooks;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import dev.userapi.webhooks.events.EventTypes;

import java.util.Map;

/** {@code POST /webhooks}: registers a webhook; the answer holds its secret, shown this once. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class CreateWebhookHandler extends ApiHandler {
    private final WebhookService webhooks;

    /** Used by the Lambda runtime: wired from the process environment. */
    public CreateWebhookHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public CreateWebhookHandler(Map<String, String> env) {
        this(WebhookComponents.from(env));
    }

    private CreateWebhookHandler(WebhookComponents c) {
        this(c.service(true, false), c.cors());
    }

    CreateWebhookHandler(WebhookService webhooks, Cors cors) {
        super(cors);
        this.webhooks = webhooks;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var actor = request.admin();
        var fields = request.body().allowOnly("url", "events", "description");
        var registered = webhooks.register(actor, fields.requiredString("url", 2048), fields.requiredStringList("events", EventTypes.ALL.size(), 64),
                fields.optionalString("description", 200));
        Map<String, Object> body = WebhookJson.of(registered.webhook());
        body.put("secret", registered.secret());
        return ApiResponse.json(201, body).header("Location", "/webhooks/" + registered.webhook().id());
    }
}
